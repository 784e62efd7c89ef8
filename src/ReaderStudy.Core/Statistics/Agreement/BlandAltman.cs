using MathNet.Numerics.Statistics;

namespace ReaderStudy.Core.Statistics.Agreement;

public static class BlandAltman
{
    /// <summary>Differences are x minus y (synthetic minus real when x is synthetic).</summary>
    public static BlandAltmanResult Analyse(IReadOnlyList<double> x, IReadOnlyList<double> y, double level = 0.95)
    {
        Require.Paired(x, y, 2);
        Require.Level(level);
        var differences = x.Zip(y, (a, b) => a - b).ToArray();
        var n = differences.Length;
        var bias = differences.Mean();
        var sd = differences.StandardDeviation();
        var z = PValue.NormalQuantile(0.95);
        var (lower, upper) = (bias - z * sd, bias + z * sd);
        var t = PValue.StudentQuantile(level, n - 1);
        var biasHalf = t * sd / Math.Sqrt(n);
        var limitHalf = t * sd * Math.Sqrt(3.0 / n);
        return new BlandAltmanResult(bias, sd, lower, upper,
            bias - biasHalf, bias + biasHalf,
            lower - limitHalf, lower + limitHalf, upper - limitHalf, upper + limitHalf, n);
    }
}
