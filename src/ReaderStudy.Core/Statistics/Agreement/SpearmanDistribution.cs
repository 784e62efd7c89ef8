using MathNet.Numerics.Distributions;

namespace ReaderStudy.Core.Statistics.Agreement;

/// <summary>
/// The null distribution of Spearman's S = Σ (rank difference)² for n untied pairs, as R's cor.test computes it
/// (its C routine prho, Algorithm AS 89, Best and Roberts 1975): exact by enumerating permutations for n ≤ 9,
/// the Edgeworth series expansion above that.
/// </summary>
internal static class SpearmanDistribution
{
    private const int ExactUpTo = 9;

    /// <summary>P(S ≥ s), or P(S ≤ s) when lowerTail; s is rounded to the nearest integer first, as R does.</summary>
    public static double P(double s, int n, bool lowerTail)
    {
        // R passes round(q) + 2·lower.tail to prho, which returns P(S ≥ is) or P(S < is).
        var threshold = Math.Round(s, MidpointRounding.ToEven) + (lowerTail ? 2 : 0);
        var upper = UpperTail(threshold, n);
        return lowerTail ? 1 - upper : upper;
    }

    /// <summary>P(S ≥ threshold).</summary>
    private static double UpperTail(double threshold, int n)
    {
        if (threshold <= 0)
        {
            return 1;
        }
        var max = n * ((double)n * n - 1) / 3;
        if (threshold > max)
        {
            return 0;
        }
        return n <= ExactUpTo ? ExactUpperTail(threshold, n) : EdgeworthUpperTail(threshold, n);
    }

    private static readonly Dictionary<int, int[]> Counts = [];

    /// <summary>Counts of permutations of 1..n by S, computed once per n (9! = 362,880 permutations at most).</summary>
    private static double ExactUpperTail(double threshold, int n)
    {
        int[] counts;
        lock (Counts)
        {
            if (!Counts.TryGetValue(n, out counts!))
            {
                counts = new int[n * (n * n - 1) / 3 + 1];
                var permutation = Enumerable.Range(1, n).ToArray();
                Enumerate(permutation, 0, counts);
                Counts[n] = counts;
            }
        }
        double total = counts.Sum(c => (double)c), atLeast = 0;
        for (var value = (int)Math.Ceiling(threshold); value < counts.Length; value++)
        {
            atLeast += counts[value];
        }
        return atLeast / total;
    }

    private static void Enumerate(int[] p, int k, int[] counts)
    {
        if (k == p.Length)
        {
            var s = 0;
            for (var i = 0; i < p.Length; i++)
            {
                var d = i + 1 - p[i];
                s += d * d;
            }
            counts[s]++;
            return;
        }
        for (var i = k; i < p.Length; i++)
        {
            (p[k], p[i]) = (p[i], p[k]);
            Enumerate(p, k + 1, counts);
            (p[k], p[i]) = (p[i], p[k]);
        }
    }

    /// <summary>AS 89's Edgeworth series for P(S ≥ threshold).</summary>
    private static double EdgeworthUpperTail(double threshold, int n)
    {
        const double c1 = 0.2274, c2 = 0.2531, c3 = 0.1745, c4 = 0.0758, c5 = 0.1033, c6 = 0.3932,
            c7 = 0.0879, c8 = 0.0151, c9 = 0.0072, c10 = 0.0831, c11 = 0.0131, c12 = 4.6e-4;
        var b = 1.0 / n;
        var x = (6 * (threshold - 1) * b / ((double)n * n - 1) - 1) * Math.Sqrt(1 / b - 1);
        var y = x * x;
        var u = x * b * (c1 + b * (c2 + c3 * b) + y * (-c4 + b * (c5 + c6 * b) - y * b * (c7 + c8 * b - y * (c9 - c10 * b + y * b * (c11 - c12 * y)))));
        var p = u / Math.Exp(y / 2) + (1 - Normal.CDF(0, 1, x));
        return Math.Clamp(p, 0, 1);
    }
}
