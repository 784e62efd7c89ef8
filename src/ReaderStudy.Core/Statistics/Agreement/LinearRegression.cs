using MathNet.Numerics.Distributions;

namespace ReaderStudy.Core.Statistics.Agreement;

/// <summary>Ordinary least squares of y on x, with t-based CIs for slope and intercept.</summary>
public sealed record RegressionResult(double Slope, double SlopeCiLower, double SlopeCiUpper, double Intercept, double InterceptCiLower, double InterceptCiUpper, double RSquared, int N);

public static class LinearRegression
{
    public static RegressionResult Fit(IReadOnlyList<double> x, IReadOnlyList<double> y, double level = 0.95)
    {
        Require.Paired(x, y, 3);
        Require.NotConstant(x, "x");
        var n = x.Count;
        var (mx, my) = (x.Average(), y.Average());
        var sxx = x.Sum(v => (v - mx) * (v - mx));
        var sxy = x.Zip(y, (a, b) => (a - mx) * (b - my)).Sum();
        var slope = sxy / sxx;
        var intercept = my - slope * mx;
        var residual = x.Zip(y, (a, b) => Math.Pow(b - (intercept + slope * a), 2)).Sum();
        var total = y.Sum(v => (v - my) * (v - my));
        var s2 = residual / (n - 2);
        var seSlope = Math.Sqrt(s2 / sxx);
        var seIntercept = Math.Sqrt(s2 * (1.0 / n + mx * mx / sxx));
        var t = StudentT.InvCDF(0, 1, n - 2, 1 - (1 - level) / 2);
        return new RegressionResult(slope, slope - t * seSlope, slope + t * seSlope, intercept, intercept - t * seIntercept, intercept + t * seIntercept,
            total == 0 ? 1 : 1 - residual / total, n);
    }
}
