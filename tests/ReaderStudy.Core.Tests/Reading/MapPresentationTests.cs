using ReaderStudy.Core.Reading.Presentation;

namespace ReaderStudy.Core.Tests.Reading;

public sealed class MapPresentationTests
{
    private static readonly PresentationSettings Study = new(0, 100, 0.1, PresentationMask.CommonSupport);

    [Fact]
    public void Present_ClipsRoundsAndMasksTheSameWayForEitherMap()
    {
        float[] real = [0, 35.0031f, 99.99f, 100, 12.34f, float.NaN, 40];
        float[] synthetic = [0.4f, 35.02f, 706.2f, 3.3f, 0, 41, -2];

        var shownReal = MapPresentation.Present(real, synthetic, Study);
        var shownSynthetic = MapPresentation.Present(synthetic, real, Study);

        Assert.Equal([0, 35f, 100f, 100f, 0, 0, 40f], shownReal);
        Assert.Equal([0, 35f, 100f, 3.3f, 0, 0, 0.1f], shownSynthetic);
    }

    [Fact]
    public void Present_ForegroundNeverLooksLikeBackground()
    {
        float[] map = [0.01f, -5, 0.04f];

        var shown = MapPresentation.Present(map, [1, 1, 1], Study);

        Assert.All(shown, v => Assert.Equal(0.1f, v));
    }

    [Fact]
    public void Present_WithoutCommonMask_KeepsEachMapsOwnBackground_ButNeverSendsNaN()
    {
        var shown = MapPresentation.Present([0, float.NaN, float.PositiveInfinity, 50], [7, 7, 7, 0], Study with { Mask = PresentationMask.None });

        Assert.Equal([0, 0, 0, 50f], shown);
    }

    [Fact]
    public void Present_MapsStoredAtDifferentPrecisions_ShareOneSetOfLevels()
    {
        // A fitted map stored with a rescale slope of 100/32000 ms, a synthetic one with 780/32000 ms: after
        // presentation every value of either is a whole number of 0.1 ms steps, so the step no longer tells them apart.
        var random = new Random(7);
        var real = Enumerable.Range(0, 5000).Select(_ => (float)(Math.Round(random.NextDouble() * 100 / (100.0 / 32000)) * (100.0 / 32000))).ToArray();
        var synthetic = Enumerable.Range(0, 5000).Select(_ => (float)(Math.Round(random.NextDouble() * 780 / (780.0 / 32000)) * (780.0 / 32000))).ToArray();

        var levels = MapPresentation.Present(real, synthetic, Study).Concat(MapPresentation.Present(synthetic, real, Study))
            .Select(v => v / 0.1).ToArray();

        Assert.All(levels, l => Assert.True(Math.Abs(l - Math.Round(l)) < 1e-3, $"{l * 0.1} ms is not a multiple of 0.1 ms"));
        Assert.Equal(100f, MapPresentation.Present(synthetic, real, Study).Max());
    }

    [Theory]
    [InlineData(10, 10, 0.1, "empty")]
    [InlineData(-1, 100, 0.1, "below 0")]
    [InlineData(0, 100, -0.1, "non-negative")]
    [InlineData(0, 1, 5, "wider than the range")]
    public void Problem_NamesWhatIsWrong(double min, double max, double step, string expected)
    {
        Assert.Contains(expected, new PresentationSettings(min, max, step, PresentationMask.CommonSupport).Problem());
    }
}
