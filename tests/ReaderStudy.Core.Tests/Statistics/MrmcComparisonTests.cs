using ReaderStudy.Core.Statistics;
using ReaderStudy.Core.Statistics.Comparison;
using ReaderStudy.Testing;

namespace ReaderStudy.Core.Tests.Statistics;

/// <summary>
/// Obuchowski-Rockette / Hillis on Van Dyke et al. (1993), against the Iowa OR-DBM MRMC 2.51 output printed in
/// RJafroc's inst/IowaResults/VanDyke.txt ("TRAPEZOIDAL AREA ANALYSIS", jackknife covariances), to its printed digits.
/// </summary>
public sealed class MrmcComparisonTests
{
    private static readonly MrmcComparison VanDyke = ObuchowskiRockette.Compare(MrmcReadings.From(
        VanDyke1993.Rows().Select(r => new MrmcReading(r.Reader, r.Modality, r.Case, r.Truth == 1, r.Rating))));

    private static void Near(double expected, double actual, int decimals) =>
        Assert.True(Math.Abs(expected - actual) <= 0.5 * Math.Pow(10, -decimals) + 1e-12, $"expected {expected}, got {actual}");

    [Fact]
    public void ReaderAucs_AreThePrintedTrapezoidalEstimates()
    {
        // "TREATMENT x READER AUC ESTIMATES"
        double[][] printed = [[0.91964573, 0.85877617, 0.90386473, 0.97310789, 0.82979066], [0.94782609, 0.90531401, 0.92173913, 0.99935588, 0.92995169]];
        for (var t = 0; t < 2; t++)
        {
            for (var r = 0; r < 5; r++)
            {
                Near(printed[t][r], VanDyke.ReaderAucs.Single(a => a.Modality == $"{t + 1}" && a.Reader == $"reader{r + 1}").Auc, 8);
            }
        }
        Assert.Equal((45, 69), (VanDyke.Positives, VanDyke.Negatives));
    }

    [Fact]
    public void MeanSquaresAndCovariances_AreThePrintedOnes()
    {
        var c = VanDyke.Components;
        Near(0.00479617, c.MsT, 8);
        Near(0.00383620, c.MsR, 8);
        Near(0.00055103, c.MsTR, 8);
        Near(0.00080229, c.Var, 8);
        Near(0.00034661, c.Cov1, 8);
        Near(0.00034407, c.Cov2, 8);
        Near(0.00023903, c.Cov3, 8);
    }

    [Fact]
    public void RandomReadersRandomCases_IsTheHillisAnalysis()
    {
        // Analysis 1 a) and b): F 4.46, ddf 15.26, p .0517; 1 - 2 = -0.04380, SE 0.02075, CI (-0.08796, 0.00036).
        var d = VanDyke.RandomReadersRandomCases;
        Near(-0.04380032, d.Difference, 8);
        Near(4.46, d.Statistic, 2);
        Assert.Equal(1, d.Df1);
        Near(15.26, d.Df2, 2);
        Near(0.0517, d.P, 4);
        Near(0.02075, d.Se, 5);
        Near(-0.08796, d.CiLower, 5);
        Near(0.00036, d.CiUpper, 5);
        Near(0.00107626, d.Se * d.Se * 5 / 2, 8); // the printed error term MS(T*R) + r·max(Cov2 - Cov3, 0)
    }

    [Fact]
    public void SingleModalityIntervals_RandomReaders_AreThePrintedOnes()
    {
        // Analysis 1 c)
        var (one, two) = (VanDyke.ModalitiesRandomReadersRandomCases[0], VanDyke.ModalitiesRandomReadersRandomCases[1]);
        Near(0.89703704, one.Auc, 8);
        Near(0.03317360, one.Se, 8);
        Near(12.74, one.Df, 2);
        Near(0.82522360, one.CiLower, 8);
        Near(0.96885048, one.CiUpper, 8);
        Near(0.94083736, two.Auc, 8);
        Near(0.02156637, two.Se, 8);
        Near(12.71, two.Df, 2);
        Near(0.89413783, two.CiLower, 8);
        Near(0.98753689, two.CiUpper, 8);
    }

    [Fact]
    public void FixedReadersRandomCases_IsThePrintedChiSquareAnalysis()
    {
        // Analysis 2: X2 5.47595 on 1 df, p .0193; SE 0.01872, CI (-0.08049, -0.00711); single-treatment c).
        var d = VanDyke.FixedReadersRandomCases;
        Near(5.47595, d.Statistic, 5);
        Near(0.0193, d.P, 4);
        Near(0.01872, d.Se, 5);
        Near(-0.08049, d.CiLower, 5);
        Near(-0.00711, d.CiUpper, 5);
        Near(0.02428971, VanDyke.ModalitiesFixedReaders[0].Se, 8);
        Near(0.84943008, VanDyke.ModalitiesFixedReaders[0].CiLower, 8);
        Near(0.97371835, VanDyke.ModalitiesFixedReaders[1].CiUpper, 8);
    }

    [Fact]
    public void RandomReadersFixedCases_IsThePrintedAnova()
    {
        // Analysis 3: F 8.70 on (1, 4), p .0420; SE 0.01485, CI (-0.08502, -0.00258); single-treatment c).
        var d = VanDyke.RandomReadersFixedCases;
        Near(8.70, d.Statistic, 2);
        Assert.Equal(4, d.Df2);
        Near(0.0420, d.P, 4);
        Near(0.01485, d.Se, 5);
        Near(-0.08502, d.CiLower, 5);
        Near(-0.00258, d.CiUpper, 5);
        Near(0.02482994, VanDyke.ModalitiesFixedCases[0].Se, 8);
        Near(0.82809808, VanDyke.ModalitiesFixedCases[0].CiLower, 8);
        Near(0.98568536, VanDyke.ModalitiesFixedCases[1].CiUpper, 8);
    }

    [Fact]
    public void DeLongCovariances_AreThoseMrmcaovPrints()
    {
        // MRMCaov (Smith & Hillis), mrmc(empirical_auc(truth, rating), treatment, reader, case, data = VanDyke,
        // cov = DeLong), summary(): its JSS manuscript docs/jss/MRMCaov.tex, "Covariance Estimation Methods".
        var delong = ObuchowskiRockette.Compare(MrmcReadings.From(
            VanDyke1993.Rows().Select(r => new MrmcReading(r.Reader, r.Modality, r.Case, r.Truth == 1, r.Rating))), covariance: MrmcCovariance.DeLong);
        Near(0.0007921325, delong.Components.Var, 10);
        Near(0.0003420090, delong.Components.Cov1, 10);
        Near(0.0003395265, delong.Components.Cov2, 10);
        Near(0.0002358497, delong.Components.Cov3, 10);
        var d = delong.RandomReadersRandomCases;
        Near(4.484854, d.Statistic, 6);
        Near(15.06611, d.Df2, 5);
        Near(0.05123303, d.P, 8);
        Near(0.0206825, d.Se, 7);
        Near(-0.0878671960, d.CiLower, 10);
        Near(0.0002665519, d.CiUpper, 10);
        var (one, two) = (delong.ModalitiesRandomReadersRandomCases[0], delong.ModalitiesRandomReadersRandomCases[1]);
        Near(0.03307642, one.Se, 8);
        Near(12.59597, one.Df, 5);
        Near(0.8253461, one.CiLower, 7);
        Near(0.9687280, one.CiUpper, 7);
        Near(0.02150464, two.Se, 8);
        Near(12.56530, two.Df, 5);
        Near(0.8942155, two.CiLower, 7);
        Near(0.9874592, two.CiUpper, 7);
    }

    [Fact]
    public void NonInferiority_UsesTheLowerBoundOfTheSameInterval()
    {
        // Spin echo (2) against cine (1): 2 - 1 = +0.0438, lower bound -0.00036. Non-inferior at 0.05, not at 0.0001.
        var wide = VanDyke.NonInferiorityOf("2", 0.05);
        Assert.True(wide.NonInferior);
        Near(-0.00036, wide.LowerBound, 5);
        Assert.True(wide.P < 0.025);
        var narrow = VanDyke.NonInferiorityOf("2", 0.0001);
        Assert.False(narrow.NonInferior);
        Assert.True(narrow.P > 0.025);
        // Cine against spin echo: -0.0438 with lower bound -0.08796 is not within a 0.05 margin.
        var cine = VanDyke.NonInferiorityOf("1", -0.05);
        Assert.False(cine.NonInferior);
        Assert.Equal(0.05, cine.Margin);
        // The verdict and the p-value agree: non-inferior exactly when p < (1 - level)/2.
        foreach (var margin in new[] { 0.001, 0.01, 0.02, 0.03, 0.05, 0.09, 0.1 })
        {
            foreach (var tested in new[] { "1", "2" })
            {
                var test = VanDyke.NonInferiorityOf(tested, margin);
                Assert.Equal(test.NonInferior, test.P < 0.025);
            }
        }
    }

    [Fact]
    public void Readings_NotFullyCrossed_DuplicatedOrWithConflictingTruth_AreRefusedByName()
    {
        var rows = VanDyke1993.Rows().Select(r => new MrmcReading(r.Reader, r.Modality, r.Case, r.Truth == 1, r.Rating)).ToList();
        var missing = Assert.Throws<StatisticsException>(() => MrmcReadings.From(rows.Where(r => !(r.Reader == "reader3" && r.Modality == "2" && r.Case == "p07"))));
        Assert.Contains("reader3", missing.Message);
        Assert.Contains("p07", missing.Message);
        var twice = Assert.Throws<StatisticsException>(() => MrmcReadings.From(rows.Append(rows[0])));
        Assert.Contains("more than once", twice.Message);
        var conflict = Assert.Throws<StatisticsException>(() => MrmcReadings.From(rows.Select(r => r.Reader == "reader2" && r.Case == "n01" ? r with { Truth = true } : r)));
        Assert.Contains("'n01'", conflict.Message);
        var three = Assert.Throws<StatisticsException>(() => MrmcReadings.From(rows.Append(rows[0] with { Modality = "3" })));
        Assert.Contains("exactly two modalities", three.Message);
    }
}
