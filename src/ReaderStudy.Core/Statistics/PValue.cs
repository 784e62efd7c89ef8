using MathNet.Numerics.Distributions;

namespace ReaderStudy.Core.Statistics;

/// <summary>P-values from a test statistic's distribution for each alternative.</summary>
internal static class PValue
{
    public static double StudentT(double t, double df, Alternative alternative) => alternative switch
    {
        Alternative.Greater => 1 - MathNet.Numerics.Distributions.StudentT.CDF(0, 1, df, t),
        Alternative.Less => MathNet.Numerics.Distributions.StudentT.CDF(0, 1, df, t),
        _ => 2 * (1 - MathNet.Numerics.Distributions.StudentT.CDF(0, 1, df, Math.Abs(t))),
    };

    public static double Normal(double z, Alternative alternative) => alternative switch
    {
        Alternative.Greater => 1 - MathNet.Numerics.Distributions.Normal.CDF(0, 1, z),
        Alternative.Less => MathNet.Numerics.Distributions.Normal.CDF(0, 1, z),
        _ => 2 * (1 - MathNet.Numerics.Distributions.Normal.CDF(0, 1, Math.Abs(z))),
    };

    /// <summary>The two-sided normal quantile for a confidence level (1.959964 for 0.95).</summary>
    public static double NormalQuantile(double level) => MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, 1 - (1 - level) / 2);

    public static double StudentQuantile(double level, double df) => MathNet.Numerics.Distributions.StudentT.InvCDF(0, 1, df, 1 - (1 - level) / 2);

    public static double FisherUpper(double alpha, double df1, double df2) => FisherSnedecor.InvCDF(df1, df2, 1 - alpha / 2);
}
