using ReaderStudy.Core.Statistics.Comparison;
using ReaderStudy.Web.Features.StudyResults;

namespace ReaderStudy.Web.Tests;

/// <summary>A multi-reader AUC interval outside 0–1 (two readers) is named as unusable, never printed as a result.</summary>
public sealed class MrmcIntervalTests
{
    private static MrmcResult Result(int readers, double lower, double upper) =>
        new(readers, 40, 0.667, [0.6, 0.73], 0.01, 0.001, 0.5, 1.02, 0.33, 0.8, lower, upper);

    [Fact]
    public void TwoReaders_IntervalLeavingZeroToOne_IsSaidToBeNotEstimable()
    {
        var text = ResultsReport.Tables.MrmcInterval(Result(2, -3.569, 4.902), "0.000");

        Assert.Equal("95 % CI not estimable with 2 readers: the computed -3.569 to 4.902 leaves 0–1; more readers are needed", text);
    }

    [Fact]
    public void AUsableInterval_IsPrintedAsIs()
    {
        Assert.Equal("95 % CI 0.612 to 0.722", ResultsReport.Tables.MrmcInterval(Result(5, 0.612, 0.722), "0.000"));
    }
}
