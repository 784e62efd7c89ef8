using MathNet.Numerics.Statistics;

namespace ReaderStudy.Core.Statistics.Agreement;

/// <summary>Pearson's and Spearman's correlation, as R's cor.test reports them.</summary>
public static class Correlation
{
    /// <summary>Pearson's r; CI by Fisher's z (n ≥ 4), p from t = r √((n−2)/(1−r²)) on n−2 df.</summary>
    public static CorrelationResult Pearson(IReadOnlyList<double> x, IReadOnlyList<double> y, double level = 0.95, Alternative alternative = Alternative.TwoSided)
    {
        Require.Paired(x, y, 3);
        Require.NotConstant(x, "x");
        Require.NotConstant(y, "y");
        Require.Level(level);
        var r = Math.Clamp(MathNet.Numerics.Statistics.Correlation.Pearson(x, y), -1, 1);
        return WithInference("Pearson product-moment correlation", r, x.Count, level, alternative);
    }

    /// <summary>
    /// Spearman's rho: Pearson's r of the average ranks. The p-value is R's cor.test one: without ties (and
    /// n ≤ 1290) from the null distribution of S (exact for n ≤ 9, AS 89's Edgeworth series above), with ties
    /// the t approximation. The CI (which cor.test does not give) uses Fisher's z with SE 1/√(n−3).
    /// </summary>
    public static CorrelationResult Spearman(IReadOnlyList<double> x, IReadOnlyList<double> y, double level = 0.95, Alternative alternative = Alternative.TwoSided)
    {
        Require.Paired(x, y, 3);
        Require.NotConstant(x, "x");
        Require.NotConstant(y, "y");
        Require.Level(level);
        var rho = Math.Clamp(MathNet.Numerics.Statistics.Correlation.Pearson(Ranking.AverageRanks(x), Ranking.AverageRanks(y)), -1, 1);
        var result = WithInference("Spearman rank correlation", rho, x.Count, level, alternative);
        var n = x.Count;
        var ties = x.Distinct().Count() < n || y.Distinct().Count() < n;
        if (ties || n > 1290)
        {
            return result;
        }
        var s = ((double)n * n * n - n) * (1 - rho) / 6;
        var p = alternative switch
        {
            Alternative.Greater => SpearmanDistribution.P(s, n, lowerTail: true),
            Alternative.Less => SpearmanDistribution.P(s, n, lowerTail: false),
            _ => Math.Min(1, 2 * SpearmanDistribution.P(s, n, lowerTail: s <= ((double)n * n * n - n) / 6)),
        };
        return result with { P = p };
    }

    private static CorrelationResult WithInference(string method, double r, int n, double level, Alternative alternative)
    {
        var df = n - 2;
        var p = Math.Abs(r) == 1 ? (alternative == Alternative.TwoSided ? 0 : (r > 0) == (alternative == Alternative.Greater) ? 0 : 1)
            : PValue.StudentT(r * Math.Sqrt(df / (1 - r * r)), df, alternative);
        var (lower, upper) = (double.NaN, double.NaN);
        if (n > 3)
        {
            // As cor.test: a one-sided alternative gets a one-sided interval, its other end at -1 or 1.
            var z = Math.Atanh(r);
            var se = 1 / Math.Sqrt(n - 3);
            var oneSided = MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, level);
            (lower, upper) = alternative switch
            {
                Alternative.Less => (-1, Math.Tanh(z + oneSided * se)),
                Alternative.Greater => (Math.Tanh(z - oneSided * se), 1),
                _ => (Math.Tanh(z - PValue.NormalQuantile(level) * se), Math.Tanh(z + PValue.NormalQuantile(level) * se)),
            };
        }
        return new CorrelationResult(method, r, lower, upper, p, n);
    }
}
