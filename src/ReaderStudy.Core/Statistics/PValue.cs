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

    /// <summary>Student's t, or the normal where the degrees of freedom are infinite (a variance known exactly).</summary>
    public static double StudentTOrNormal(double t, double df, Alternative alternative) =>
        double.IsFinite(df) ? StudentT(t, df, alternative) : Normal(t, alternative);

    public static double StudentOrNormalQuantile(double level, double df) =>
        double.IsFinite(df) ? StudentQuantile(level, df) : NormalQuantile(level);

    /// <summary>The two-sided normal quantile for a confidence level (1.959964 for 0.95).</summary>
    public static double NormalQuantile(double level) => MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, 1 - (1 - level) / 2);

    public static double StudentQuantile(double level, double df) => MathNet.Numerics.Distributions.StudentT.InvCDF(0, 1, df, 1 - (1 - level) / 2);

    /// <summary>The upper alpha/2 quantile of F(df1, df2).</summary>
    public static double FisherUpper(double alpha, double df1, double df2)
    {
        var p = 1 - alpha / 2;
        if (!(df1 > 0) || !(df2 > 0) || double.IsNaN(df1) || double.IsNaN(df2))
        {
            throw new StatisticsException($"an F quantile needs positive degrees of freedom, got {df1:G4} and {df2:G4}.");
        }
        // With degrees of freedom in the millions F is at its chi-square limit, where MathNet's root finder gives up.
        const double limit = 1e6;
        if (df1 > limit && df2 > limit)
        {
            return 1;
        }
        if (df2 > limit)
        {
            return ChiSquared.InvCDF(df1, p) / df1;
        }
        if (df1 > limit)
        {
            return df2 / ChiSquared.InvCDF(df2, 1 - p);
        }
        try
        {
            return FisherSnedecor.InvCDF(df1, df2, p);
        }
        catch (MathNet.Numerics.NonConvergenceException)
        {
            // Below about one degree of freedom the quantile is huge and MathNet's F root finder fails; the beta
            // quantile it rests on still converges: F = (df2/df1)·x/(1−x), x ~ Beta(df1/2, df2/2).
            double quantile;
            try
            {
                var x = Beta.InvCDF(df1 / 2, df2 / 2, p);
                quantile = df2 / df1 * x / (1 - x);
            }
            catch (MathNet.Numerics.NonConvergenceException)
            {
                quantile = double.NaN;
            }
            return double.IsFinite(quantile)
                ? quantile
                : throw new StatisticsException($"the F quantile for {df1:G4} and {df2:G4} degrees of freedom could not be computed (beyond double precision).");
        }
    }
}
