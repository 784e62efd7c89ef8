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
    /// Spearman's rho: Pearson's r of the average ranks. The CI uses Fisher's z with SE 1/√(n−3) and the
    /// p-value the t approximation (R's exact small-sample p for rho is not reproduced).
    /// </summary>
    public static CorrelationResult Spearman(IReadOnlyList<double> x, IReadOnlyList<double> y, double level = 0.95, Alternative alternative = Alternative.TwoSided)
    {
        Require.Paired(x, y, 3);
        Require.NotConstant(x, "x");
        Require.NotConstant(y, "y");
        Require.Level(level);
        var rho = Math.Clamp(MathNet.Numerics.Statistics.Correlation.Pearson(Ranking.AverageRanks(x), Ranking.AverageRanks(y)), -1, 1);
        return WithInference("Spearman rank correlation", rho, x.Count, level, alternative);
    }

    private static CorrelationResult WithInference(string method, double r, int n, double level, Alternative alternative)
    {
        var df = n - 2;
        var p = Math.Abs(r) == 1 ? (alternative == Alternative.TwoSided ? 0 : (r > 0) == (alternative == Alternative.Greater) ? 0 : 1)
            : PValue.StudentT(r * Math.Sqrt(df / (1 - r * r)), df, alternative);
        var (lower, upper) = (double.NaN, double.NaN);
        if (n > 3)
        {
            var z = Math.Atanh(r);
            var half = PValue.NormalQuantile(level) / Math.Sqrt(n - 3);
            (lower, upper) = (Math.Tanh(z - half), Math.Tanh(z + half));
        }
        return new CorrelationResult(method, r, lower, upper, p, n);
    }
}
