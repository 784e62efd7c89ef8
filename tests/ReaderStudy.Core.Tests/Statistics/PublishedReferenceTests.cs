using ReaderStudy.Core.Statistics;
using ReaderStudy.Core.Statistics.Comparison;
using ReaderStudy.Core.Statistics.Reliability;
using ReaderStudy.Testing;

namespace ReaderStudy.Core.Tests.Statistics;

/// <summary>Published data sets (../shared/reference) and the values their papers or R/SAS print, to the printed precision.</summary>
public sealed class PublishedReferenceTests
{
    private static SubjectTable Reference(string name) => SubjectTable.Read(SharedFolder.Path("reference", name));

    private static void Near(double expected, double actual, int decimals) =>
        Assert.True(Math.Abs(expected - actual) <= 0.5 * Math.Pow(10, -decimals) + 1e-12, $"expected {expected}, got {actual}");

    [Theory]
    // type, ICC, F, df1, df2, p, lower, upper: R psych::ICC on Shrout & Fleiss (1979) Table 2
    [InlineData("ICC1", 0.1657418, 1.794678, 5, 18, 0.1647688, -0.1329323, 0.7225601)]
    [InlineData("ICC2", 0.2897638, 11.027248, 5, 15, 0.0001345666, 0.0187865, 0.7610844)]
    [InlineData("ICC3", 0.7148407, 11.027248, 5, 15, 0.0001345666, 0.3424648, 0.9458583)]
    [InlineData("ICC1k", 0.4427971, 1.794678, 5, 18, 0.1647688, -0.8844422, 0.9124154)]
    [InlineData("ICC2k", 0.6200505, 11.027248, 5, 15, 0.0001345666, 0.0711368, 0.9272320)]
    [InlineData("ICC3k", 0.9093155, 11.027248, 5, 15, 0.0001345666, 0.6756747, 0.9858917)]
    public void Icc_ShroutFleiss1979_MatchesPsych(string type, double icc, double f, double df1, double df2, double p, double lower, double upper)
    {
        var result = IntraclassCorrelation.All(Reference("shrout-fleiss-1979.csv").Ratings()).Single(r => r.Type == type);

        Near(icc, result.Value, 7);
        Near(f, result.F, 6);
        Assert.Equal((df1, df2), (result.Df1, result.Df2));
        Assert.True(Math.Abs(p - result.P) <= p * 1e-5, $"p: expected {p}, got {result.P}");
        Near(lower, result.CiLower, 7);
        Near(upper, result.CiUpper, 7);
    }

    [Fact]
    public void Icc_ShroutFleiss1979_MatchesThePublishedTwoDecimals()
    {
        var results = IntraclassCorrelation.All(Reference("shrout-fleiss-1979.csv").Ratings()).ToDictionary(r => r.Type, r => Math.Round(r.Value, 2));

        Assert.Equal([0.17, 0.29, 0.71, 0.44, 0.62, 0.91], new[] { "ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k" }.Select(t => results[t]));
    }

    [Fact]
    public void FleissKappa_Fleiss1971Diagnoses_MatchesIrr()
    {
        var result = FleissKappa.Compute(Reference("fleiss-1971-diagnoses.csv").Ratings());

        Near(0.4302445, result.Kappa, 7);
        Near(17.65183, result.Z, 5);
        Assert.True(result.P < 0.0001);
        Assert.Equal((30, 6), (result.Subjects, result.Raters));
    }

    [Theory]
    // weights, kappa, ASE, CI lower, CI upper, ASE under H0, z, p: SAS PROC FREQ (AGREE)
    [InlineData(KappaWeights.None, 0.4842, 0.1380, 0.2137, 0.7547, 0.1484, 3.2626, 0.0011)]
    [InlineData(KappaWeights.Linear, 0.4701, 0.1457, 0.1845, 0.7558, 0.1426, 3.2971, 0.0010)]
    public void CohenKappa_Sas3x3_MatchesProcFreq(KappaWeights weights, double kappa, double se, double lower, double upper, double se0, double z, double p)
    {
        var table = Reference("sas-kappa-3x3.csv");

        var result = CohenKappa.Compute(table.Numbers("rater1"), table.Numbers("rater2"), weights);

        Near(kappa, result.Kappa, 4);
        Near(se, result.Se, 4);
        Near(lower, result.CiLower, 4);
        Near(upper, result.CiUpper, 4);
        Near(se0, result.Se0, 4);
        Near(z, result.Z, 4);
        Near(p, result.P, 4);
    }

    [Fact]
    public void Wilcoxon_HollanderWolfe_MatchesWilcoxTest()
    {
        var table = Reference("hollander-wolfe-depression.csv");
        var (x, y) = (table.Numbers("first_visit"), table.Numbers("second_visit"));

        var twoSided = WilcoxonSignedRank.Test(x, y);
        var greater = WilcoxonSignedRank.Test(x, y, Alternative.Greater);

        Assert.Equal(40, twoSided.V);
        Assert.True(twoSided.Exact);
        Assert.Equal(0.0390625, twoSided.P, 12);
        Assert.Equal(0.01953125, greater.P, 12);
    }

    [Fact]
    public void PairedT_HollanderWolfe_MatchesTTest()
    {
        var table = Reference("hollander-wolfe-depression.csv");

        var result = PairedTTest.Test(table.Numbers("first_visit"), table.Numbers("second_visit"));

        Near(3.0353754, result.T, 7);
        Assert.Equal(8, result.Df);
        Near(0.01617663, result.P, 8);
        Near(0.4318889, result.MeanDifference, 7);
        Near(0.1037787, result.CiLower, 7);
        Near(0.7599991, result.CiUpper, 7);
    }

    [Theory]
    [InlineData(MeasurementLevel.Nominal, 0.743)]
    [InlineData(MeasurementLevel.Ordinal, 0.815)]
    [InlineData(MeasurementLevel.Interval, 0.849)]
    [InlineData(MeasurementLevel.Ratio, 0.797)]
    public void KrippendorffAlpha_WorkedExample2011_MatchesPublished(MeasurementLevel level, double alpha)
    {
        var result = KrippendorffAlpha.Compute(Reference("krippendorff-2011.csv").Ratings(), level);

        Near(alpha, result.Alpha, 3);
        Assert.Equal(11, result.N);
        Assert.Equal(40, result.PairableValues);
    }
}
