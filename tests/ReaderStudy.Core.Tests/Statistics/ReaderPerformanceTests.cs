using ReaderStudy.Core.Statistics;
using ReaderStudy.Core.Statistics.Agreement;
using ReaderStudy.Core.Statistics.Comparison;
using ReaderStudy.Core.Statistics.Reliability;

namespace ReaderStudy.Core.Tests.Statistics;

public sealed class ReaderPerformanceTests
{
    [Fact]
    public void Roc_SmallExample_AucIsTheMannWhitneyProbability()
    {
        var roc = RocAnalysis.Analyse([3, 4, 5], [1, 2, 3]);

        Assert.Equal(8.5 / 9, roc.Auc, 12);
        Assert.Equal(new RocPoint(0, 0), roc.Curve[0]);
        Assert.Equal(new RocPoint(1, 1), roc.Curve[^1]);
        Assert.True(roc.CiLower < roc.Auc && roc.Auc < roc.CiUpper);
    }

    [Fact]
    public void Roc_PerfectSeparation_HasAreaOneAndNoVariance()
    {
        var roc = RocAnalysis.Analyse([5, 5, 4], [1, 2, 2]);

        Assert.Equal((1.0, 0.0), (roc.Auc, roc.Se));
    }

    [Fact]
    public void Equivalence_FiftyOfHundred_IsEquivalentToChanceWithinFifteenPoints()
    {
        var result = EquivalenceTest.Binomial(50, 100, 0.15);

        Assert.True(result.Equivalent);
        Assert.Equal(BinomialTest.Test(50, 100, 0.35, Alternative.Greater).P, result.PLower, 12);
        Assert.True(result.P < 0.002);
    }

    [Fact]
    public void Equivalence_SixtyOfHundred_IsNotShownWithinFivePoints()
    {
        Assert.False(EquivalenceTest.Binomial(60, 100, 0.05).Equivalent);
    }

    [Fact]
    public void Regression_ExactLine_IsRecovered()
    {
        var fit = LinearRegression.Fit([1, 2, 3, 4, 5], [3, 5, 7, 9, 11]);

        Assert.Equal((2.0, 1.0, 1.0), (Math.Round(fit.Slope, 12), Math.Round(fit.Intercept, 12), Math.Round(fit.RSquared, 12)));
    }

    [Fact]
    public void Similarity_IdenticalAndOffsetMaps_GiveTheTextbookValues()
    {
        var real = Enumerable.Range(0, 16 * 16).Select(i => (float)(30 + i % 16)).ToArray();
        var offset = real.Select(v => v + 1f).ToArray();
        var everywhere = Enumerable.Repeat(true, real.Length).ToArray();

        var same = ImageSimilarity.Compare(real, real, 16, 16, everywhere, 100);
        var shifted = ImageSimilarity.Compare(real, offset, 16, 16, everywhere, 100);

        Assert.Equal((1.0, (double?)null, 0.0), (Math.Round(same.Ssim, 12), same.PsnrDb, same.Nrmse));
        Assert.Equal(40, shifted.PsnrDb!.Value, 9);
        Assert.Equal(0.01, shifted.Nrmse, 9);
        Assert.InRange(shifted.Ssim, 0.9, 0.99999);
    }
}

public sealed class MrmcAucTests
{
    private static readonly (double, double)[] ReaderA = [(9, 2), (8, 3), (4, 6), (7, 1), (5, 5), (10, 4)];

    [Fact]
    public void IdenticalReaders_HaveNoReaderVariance_AndTheJackknifeVarianceOfOneReader()
    {
        var result = MrmcAuc.Analyse([ReaderA, ReaderA]);

        var single = MrmcAuc.Analyse([ReaderA, ReaderA.Select(p => (p.Item1 + 0.0, p.Item2 + 0.0)).ToArray()]);
        Assert.Equal(0, result.MsReader, 12);
        Assert.Equal(result.Cov2, single.Cov2, 12);
        Assert.Equal(Math.Sqrt(result.Cov2), result.Se, 12);
        // Reader A by hand: of 36 positive-negative pairs, 9, 8, 7 and 10 win all 6; 4 wins 3 and ties 1; 5 wins 4 and ties 1.
        Assert.Equal(32.0 / 36, result.MeanAuc, 12);
    }

    [Fact]
    public void JackknifeCovariance_MatchesTheDefinition()
    {
        (double, double)[] readerB = [(3, 2), (8, 9), (4, 6), (7, 1), (6, 5), (2, 4)];

        var result = MrmcAuc.Analyse([ReaderA, readerB]);

        double Auc((double, double)[] s, int skip)
        {
            var keep = s.Where((_, i) => i != skip).ToArray();
            return keep.SelectMany(p => keep.Select(n => p.Item1 > n.Item2 ? 1.0 : p.Item1 == n.Item2 ? 0.5 : 0)).Average();
        }
        var a = Enumerable.Range(0, 6).Select(k => Auc(ReaderA, k)).ToArray();
        var b = Enumerable.Range(0, 6).Select(k => Auc(readerB, k)).ToArray();
        var expected = 5.0 / 6 * a.Zip(b, (x, y) => (x - a.Average()) * (y - b.Average())).Sum();
        Assert.Equal(expected, result.Cov2, 12);
        Assert.Equal(2, result.ReaderAucs.Count);
        Assert.True(result.CiLower < result.MeanAuc && result.MeanAuc < result.CiUpper);
    }

    [Fact]
    public void OneReader_IsRefusedWithTheReason()
    {
        var error = Assert.Throws<StatisticsException>(() => MrmcAuc.Analyse([ReaderA]));
        Assert.Contains("at least two readers", error.Message);
    }
}

public sealed class IntraclassCorrelationEdgeTests
{
    private static RatingTable Table(params (double Real, double Synthetic)[] rows) =>
        new([.. rows.Select(r => (IReadOnlyList<double?>)[r.Real, r.Synthetic])]);

    [Fact]
    public void MethodsThatDisagree_WithUnderOneSatterthwaiteDf_StillGetAnIccAInterval()
    {
        // ICC(A,1) is slightly negative here and Satterthwaite's df for its interval is 0.74, below where MathNet's F quantile converges.
        var table = Table((44, 60), (48, 62), (50, 60), (43, 70), (46, 83), (40, 79), (45, 71), (48, 59));

        var icc2 = IntraclassCorrelation.All(table).Single(i => i.Type == "ICC2");

        Assert.Equal(-0.0590, icc2.Value, 4);
        Assert.True(double.IsFinite(icc2.CiLower) && double.IsFinite(icc2.CiUpper), $"{icc2.CiLower} to {icc2.CiUpper}");
        Assert.InRange(icc2.Value, icc2.CiLower, icc2.CiUpper);
    }

    [Fact]
    public void MethodsThatAgreeExactly_WithRoundingLeftInTheSumsOfSquares_GiveAStatisticsError_NotACrash()
    {
        // A synthetic map identical to the real one: the error sum of squares is zero up to rounding, and may come out negative.
        var means = new[] { 40.1234, 38.9876, 41.5555, 37.0001, 44.4444, 39.3333, 42.1212 };
        var table = new RatingTable([.. means.Select(m => (IReadOnlyList<double?>)[m, m])]);

        var error = Assert.Throws<StatisticsException>(() => IntraclassCorrelation.All(table));

        Assert.Contains("agree perfectly", error.Message);
    }

    [Fact]
    public void MethodsThatDisagree_BeyondWhatAnIntervalCanBeComputedFor_GiveAStatisticsError_NotACrash()
    {
        // Satterthwaite's df is 0.0035: the F quantile overflows double precision.
        var table = Table((48, 73), (50, 70), (45, 79), (42, 77), (45, 78), (40, 83), (42, 81), (44, 77));

        var error = Assert.Throws<StatisticsException>(() => IntraclassCorrelation.All(table));

        Assert.Contains("could not be computed", error.Message);
    }
}
