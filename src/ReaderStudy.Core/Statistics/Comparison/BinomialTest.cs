using MathNet.Numerics.Distributions;

namespace ReaderStudy.Core.Statistics.Comparison;

/// <summary>Did readers tell real from synthetic better than chance? Exact test against p0 (default ½).</summary>
public static class BinomialTest
{
    public static BinomialResult Test(int successes, int n, double p0 = 0.5, Alternative alternative = Alternative.TwoSided, double level = 0.95)
    {
        if (n < 1 || successes < 0 || successes > n)
        {
            throw new StatisticsException($"need 0 ≤ successes ≤ n and n ≥ 1, got {successes} of {n}.");
        }
        if (p0 is <= 0 or >= 1)
        {
            throw new StatisticsException($"the null proportion must lie strictly between 0 and 1, got {p0}.");
        }
        Require.Level(level);
        var p = alternative switch
        {
            Alternative.Greater => 1 - Binomial.CDF(p0, n, successes - 1),
            Alternative.Less => Binomial.CDF(p0, n, successes),
            _ => TwoSided(successes, n, p0),
        };
        var alpha = 1 - level;
        var (lower, upper) = alternative switch
        {
            Alternative.Greater => (Lower(successes, n, alpha), 1.0),
            Alternative.Less => (0.0, Upper(successes, n, alpha)),
            _ => (Lower(successes, n, alpha / 2), Upper(successes, n, alpha / 2)),
        };
        return new BinomialResult(successes, n, (double)successes / n, Math.Min(1, p), lower, upper);
    }

    // R: the sum of the probabilities of all outcomes no more likely than the one observed (relative tolerance 1e-7).
    private static double TwoSided(int x, int n, double p0)
    {
        var observed = Binomial.PMF(p0, n, x);
        return Enumerable.Range(0, n + 1).Select(k => Binomial.PMF(p0, n, k)).Where(d => d <= observed * (1 + 1e-7)).Sum();
    }

    private static double Lower(int x, int n, double tail) => x == 0 ? 0 : Beta.InvCDF(x, n - x + 1, tail);

    private static double Upper(int x, int n, double tail) => x == n ? 1 : Beta.InvCDF(x + 1, n - x, 1 - tail);
}
