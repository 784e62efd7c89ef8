using ReaderStudy.Core.Statistics;
using ReaderStudy.Core.Statistics.Agreement;
using ReaderStudy.Core.Statistics.Comparison;

namespace ReaderStudy.Core.Tests.Statistics;

/// <summary>
/// Where the command line used to differ from R: Spearman's small-sample p, Wilcoxon with zero differences, and
/// one-sided correlation intervals. Expected values are R's (cor.test, wilcox.test) where R's documentation prints
/// them; otherwise SciPy 1.10 called with R's conventions (stated per test) and the formula by hand.
/// </summary>
public sealed class AgreesWithRTests
{
    // Hollander & Wolfe (1973) p. 187: Hunter L lightness and panel scores of 9 lots of canned tuna, the
    // example of R's ?cor.test.
    private static readonly double[] Lightness = [44.4, 45.9, 41.9, 53.3, 44.7, 44.1, 50.7, 45.2, 60.1];
    private static readonly double[] Panel = [2.6, 3.1, 2.5, 5.0, 3.6, 4.0, 5.2, 2.8, 3.8];

    [Fact]
    public void Spearman_SmallSampleWithoutTies_IsExactAsCorTest()
    {
        // R: cor.test(x, y, method = "spearm", alternative = "g")  ->  S = 48, p-value = 0.0484, rho 0.6
        var greater = Correlation.Spearman(Lightness, Panel, alternative: Alternative.Greater);
        Assert.Equal(0.6, greater.R, 12);
        Assert.Equal(0.0484, greater.P, 4);
        // S = 48 is below its mean 120, so the two-sided p doubles the lower tail: 0.0968 (the t approximation gave 0.0876).
        var twoSided = Correlation.Spearman(Lightness, Panel);
        Assert.Equal(2 * greater.P, twoSided.P, 12);
        Assert.Equal(0.0968, twoSided.P, 4);
        Assert.Equal(1 - greater.P + ExactProbability(9, s => s == 48), Correlation.Spearman(Lightness, Panel, alternative: Alternative.Less).P, 12);
        // And the count behind it, by enumerating all 9! orderings here: P(S <= 48).
        Assert.Equal(ExactProbability(9, s => s <= 48), greater.P, 12);
    }

    [Fact]
    public void Spearman_TenPairs_EdgeworthSeriesIsCloseToTheExactDistribution()
    {
        // Above n = 9 cor.test switches to AS 89's Edgeworth series; it must stay close to the exact tail.
        double[] x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        double[] y = [3, 1, 4, 2, 7, 5, 10, 6, 9, 8];
        var result = Correlation.Spearman(x, y, alternative: Alternative.Greater);
        var s = (1000 - 10) * (1 - result.R) / 6;
        var exact = ExactProbability(10, value => value <= Math.Round(s));
        Assert.InRange(result.P, exact - 0.002, exact + 0.002);
        Assert.InRange(result.P, 0.0005, 0.05);
    }

    [Fact]
    public void Spearman_WithTies_KeepsTheTApproximation()
    {
        double[] x = [1, 2, 2, 4, 5, 6, 7];
        double[] y = [2, 1, 4, 3, 7, 5, 6];
        var rho = Correlation.Spearman(x, y);
        var t = rho.R * Math.Sqrt(5 / (1 - rho.R * rho.R));
        Assert.Equal(2 * (1 - MathNet.Numerics.Distributions.StudentT.CDF(0, 1, 5, t)), rho.P, 12);
    }

    [Theory]
    // SciPy: stats.wilcoxon(a, b, zero_method="wilcox", correction=True, method="approx"), which is R's
    // wilcox.test(a, b, paired = TRUE) once a zero difference forces the normal approximation:
    // V = 40, n = 9 after the 2 zeros, z = (40 - 22.5 - 0.5) / sqrt(71.25).
    [InlineData(Alternative.TwoSided, 0.0440109840)]
    [InlineData(Alternative.Greater, 0.0220054920)]
    [InlineData(Alternative.Less, 0.9835153094)]
    public void Wilcoxon_WithZeroDifferences_UsesTheCorrectedNormalApproximationAsR(Alternative alternative, double p)
    {
        double[] a = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30, 2.00, 1.10];
        double[] b = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29, 2.00, 1.10];
        var result = WilcoxonSignedRank.Test(a, b, alternative);
        Assert.Equal(40, result.V);
        Assert.Equal(9, result.N);
        Assert.Equal(p, result.P, 9);
    }

    [Theory]
    // R: cor.test(x, y) on the tuna data: r 0.5711816, 95 % CI -0.1497426 0.8955795; with alternative
    // "less" / "greater" the interval is one-sided (SciPy's pearsonr(...).confidence_interval agrees).
    [InlineData(Alternative.TwoSided, -0.1497426, 0.8955795)]
    [InlineData(Alternative.Less, -1.0, 0.8669786)]
    [InlineData(Alternative.Greater, -0.0222302, 1.0)]
    public void Pearson_OneSidedAlternative_GivesTheOneSidedInterval(Alternative alternative, double lower, double upper)
    {
        var result = Correlation.Pearson(Lightness, Panel, alternative: alternative);
        Assert.Equal(0.5711816, result.R, 7);
        Assert.Equal(lower, result.CiLower, 7);
        Assert.Equal(upper, result.CiUpper, 7);
    }

    /// <summary>P(condition on S) under no association: over all n! orderings of the ranks, by brute force.</summary>
    private static double ExactProbability(int n, Func<int, bool> condition)
    {
        var permutation = Enumerable.Range(1, n).ToArray();
        long hits = 0, total = 0;
        void Visit(int k)
        {
            if (k == n)
            {
                var s = 0;
                for (var i = 0; i < n; i++)
                {
                    var d = i + 1 - permutation[i];
                    s += d * d;
                }
                total++;
                if (condition(s)) hits++;
                return;
            }
            for (var i = k; i < n; i++)
            {
                (permutation[k], permutation[i]) = (permutation[i], permutation[k]);
                Visit(k + 1);
                (permutation[k], permutation[i]) = (permutation[i], permutation[k]);
            }
        }
        Visit(0);
        return (double)hits / total;
    }
}
