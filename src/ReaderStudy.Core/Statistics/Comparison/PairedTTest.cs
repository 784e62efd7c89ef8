using MathNet.Numerics.Statistics;

namespace ReaderStudy.Core.Statistics.Comparison;

public static class PairedTTest
{
    public static PairedTTestResult Test(IReadOnlyList<double> x, IReadOnlyList<double> y, Alternative alternative = Alternative.TwoSided, double level = 0.95)
    {
        Require.Paired(x, y, 2);
        Require.Level(level);
        var d = x.Zip(y, (a, b) => a - b).ToArray();
        var n = d.Length;
        var mean = d.Mean();
        var sd = d.StandardDeviation();
        if (sd == 0)
        {
            throw new StatisticsException("the paired differences are constant; the t statistic is undefined.");
        }
        var se = sd / Math.Sqrt(n);
        var t = mean / se;
        var df = n - 1;
        var (lower, upper) = alternative switch
        {
            Alternative.Greater => (mean - MathNet.Numerics.Distributions.StudentT.InvCDF(0, 1, df, level) * se, double.PositiveInfinity),
            Alternative.Less => (double.NegativeInfinity, mean + MathNet.Numerics.Distributions.StudentT.InvCDF(0, 1, df, level) * se),
            _ => (mean - PValue.StudentQuantile(level, df) * se, mean + PValue.StudentQuantile(level, df) * se),
        };
        return new PairedTTestResult(t, df, PValue.StudentT(t, df, alternative), mean, lower, upper, mean / sd, n);
    }
}
