using ReaderStudy.Core.Statistics;
using ReaderStudy.Core.Statistics.Agreement;
using ReaderStudy.Core.Statistics.Comparison;

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
