using System.Security.Cryptography;
using System.Text;

namespace ReaderStudy.Web.Features.Reading;

/// <summary>
/// Each reader's case order and left/right placement, drawn from the study's recorded seed and the reader,
/// so the design can be reproduced exactly and two readers get different orders.
/// </summary>
public static class Randomization
{
    public static int ReaderSeed(int studySeed, string readerId) =>
        BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes($"{studySeed}:{readerId}")), 0) & int.MaxValue;

    /// <summary>A permutation of 0..n−1, and for each position whether the real image is on the left: exactly half (±1) are.</summary>
    public static (int[] Order, bool[] RealOnLeft) Draw(int seed, int count)
    {
        var random = new Random(seed);
        var order = Enumerable.Range(0, count).ToArray();
        random.Shuffle(order);
        var sides = Enumerable.Range(0, count).Select(i => i < count / 2).ToArray();
        if (count % 2 == 1)
        {
            sides[count - 1] = random.Next(2) == 0;
        }
        random.Shuffle(sides);
        return (order, sides);
    }

    public static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
