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

    /// <summary>
    /// Diagnostic reading: every case twice, once per modality, in two blocks. Block 1 holds each case once (half of
    /// them, ±1, as the real map), block 2 the other modality of every case, each block in its own random order,
    /// drawn until a subject's two readings are at least <paramref name="spacing"/> positions apart (block 2 in
    /// block 1's order always is, with spacing = the case count).
    /// </summary>
    public static IReadOnlyList<(int Case, bool Real, int Block)> DrawDiagnostic(int seed, int count, int spacing)
    {
        if (spacing > count)
        {
            throw new Studies.StudyRuleException($"With {count} case(s) a subject's two readings can be at most {count} cases apart; the spacing asked is {spacing}.");
        }
        var random = new Random(seed);
        var (first, realFirst) = Draw(random.Next(), count);
        var positionInFirst = new int[count];
        for (var i = 0; i < count; i++)
        {
            positionInFirst[first[i]] = i;
        }
        int[]? second = null;
        for (var attempt = 0; attempt < 1000 && second is null; attempt++)
        {
            var candidate = Enumerable.Range(0, count).ToArray();
            random.Shuffle(candidate);
            if (Enumerable.Range(0, count).All(j => count + j - positionInFirst[candidate[j]] >= spacing))
            {
                second = candidate;
            }
        }
        second ??= first;
        var realInFirstBlock = new bool[count];
        for (var i = 0; i < count; i++)
        {
            realInFirstBlock[first[i]] = realFirst[i];
        }
        return [.. first.Select(c => (c, realInFirstBlock[c], 1)), .. second.Select(c => (c, !realInFirstBlock[c], 2))];
    }

    public static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
