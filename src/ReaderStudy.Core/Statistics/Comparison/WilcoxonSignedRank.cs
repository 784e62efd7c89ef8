namespace ReaderStudy.Core.Statistics.Comparison;

public static class WilcoxonSignedRank
{
    /// <remarks>
    /// As R's wilcox.test: zero differences are dropped; with fewer than 50 non-zero differences, no ties and
    /// no zeros the p-value is exact, otherwise the normal approximation with tie and continuity corrections. N counts the
    /// non-zero differences. The effect size r is Z/√N from the normal approximation.
    /// </remarks>
    public static WilcoxonResult Test(IReadOnlyList<double> x, IReadOnlyList<double> y, Alternative alternative = Alternative.TwoSided)
    {
        Require.Paired(x, y, 1);
        var all = x.Zip(y, (a, b) => a - b).ToArray();
        var zeros = all.Any(v => v == 0);
        var d = all.Where(v => v != 0).ToArray();
        var n = d.Length;
        if (n == 0)
        {
            throw new StatisticsException("every paired difference is zero; the signed-rank test is undefined.");
        }
        var ranks = Ranking.AverageRanks(d.Select(Math.Abs).ToArray());
        var v = d.Select((value, i) => value > 0 ? ranks[i] : 0).Sum();
        var ties = Ranking.TieGroups(d.Select(Math.Abs)).ToArray();

        var mean = n * (n + 1) / 4.0;
        var variance = n * (n + 1) * (2 * n + 1) / 24.0 - ties.Sum(t => (double)t * t * t - t) / 48.0;
        var z = variance > 0 ? (v - mean) / Math.Sqrt(variance) : 0;
        var effect = z / Math.Sqrt(n);

        if (n < 50 && ties.Length == 0 && !zeros)
        {
            return new WilcoxonResult(v, ExactP((int)v, n, alternative), n, true, effect);
        }
        var correction = alternative switch
        {
            Alternative.Greater => 0.5,
            Alternative.Less => -0.5,
            _ => Math.Sign(v - mean) * 0.5,
        };
        var zc = variance > 0 ? (v - mean - correction) / Math.Sqrt(variance) : 0;
        return new WilcoxonResult(v, Math.Min(1, PValue.Normal(zc, alternative)), n, false, effect);
    }

    /// <summary>Exact null distribution of V: counts of subsets of 1..n with each rank sum.</summary>
    private static double ExactP(int v, int n, Alternative alternative)
    {
        var max = n * (n + 1) / 2;
        var counts = new double[max + 1];
        counts[0] = 1;
        for (var k = 1; k <= n; k++)
        {
            for (var s = max; s >= k; s--)
            {
                counts[s] += counts[s - k];
            }
        }
        var total = Math.Pow(2, n);
        double Cdf(int q) => q < 0 ? 0 : counts.Take(Math.Min(q, max) + 1).Sum() / total;
        double Upper(int q) => 1 - Cdf(q - 1);
        return alternative switch
        {
            Alternative.Greater => Upper(v),
            Alternative.Less => Cdf(v),
            _ => Math.Min(1, 2 * (v > max / 2.0 ? Upper(v) : Cdf(v))),
        };
    }
}
