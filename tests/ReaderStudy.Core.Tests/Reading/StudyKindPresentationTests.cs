using ReaderStudy.Core.Reading;
using ReaderStudy.Core.Reading.Blinding;
using ReaderStudy.Core.Reading.Presentation;
using ReaderStudy.Core.Series;
using ReaderStudy.Core.Studies;

namespace ReaderStudy.Core.Tests.Reading;

/// <summary>The one presentation function, for studies that are not of quantitative maps: CT in HU, arbitrary-unit grayscale.</summary>
public sealed class StudyKindPresentationTests
{
    private static PresentationSettings Of(StudyKind kind)
    {
        var study = new Study();
        study.UseKind(kind);
        return study.Presentation();
    }

    [Fact]
    public void Ct_KeepsNegativeHounsfieldUnitsAndWater_AndShowsNoValueAsTheLowestLevel()
    {
        var ct = Of(StudyKind.Ct);
        float[] real = [-1000, -100.4f, 0, 0, 45.6f, 3500, float.NaN, 1200];
        float[] synthetic = [-990, -98, 0, 12, float.NaN, 40, 30, 1188.2f];

        var shownReal = MapPresentation.Present(real, synthetic, ct);
        var shownSynthetic = MapPresentation.Present(synthetic, real, ct);

        // Water (0 HU) is tissue, not background; a voxel without a value in either image is −1024 HU in both.
        Assert.Equal([-1000f, -100f, 0f, 0f, -1024f, 3071f, -1024f, 1200f], shownReal);
        Assert.Equal([-990f, -98f, 0f, 12f, -1024f, 40f, -1024f, 1188f], shownSynthetic);
    }

    [Fact]
    public void Problem_AllowsANegativeRangeForCt_ButNotForMaps()
    {
        Assert.Null(Of(StudyKind.Ct).Problem());
        Assert.Null((Of(StudyKind.Ct) with { RangeMin = -160, RangeMax = 240 }).Problem());
        Assert.Contains("0 is kept for background", (Of(StudyKind.QuantitativeMap) with { RangeMin = -10 }).Problem());
        Assert.Contains("HU", (Of(StudyKind.Ct) with { Step = -1 }).Problem());
    }

    [Fact]
    public void Normalization_MakesAnImageAndTheSameImageAtAQuarterOfTheScaleIdentical()
    {
        var grayscale = Of(StudyKind.Projection);
        var random = new Random(3);
        var image = Enumerable.Range(0, 5000).Select(_ => (float)Math.Round(100 + 3000 * random.NextDouble())).ToArray();
        var quarter = image.Select(v => v / 4).ToArray();

        var (scale, quarterScale) = (MapPresentation.NormalizationScale(image, grayscale), MapPresentation.NormalizationScale(quarter, grayscale));
        var shown = MapPresentation.Present(image, quarter, grayscale, scale);
        var shownQuarter = MapPresentation.Present(quarter, image, grayscale, quarterScale);

        Assert.Equal(4 * scale, quarterScale, 1e-9);
        // Both on one grid of whole levels, their 99.5th percentile at 1000: indistinguishable but for rounding at .5.
        Assert.True(shown.Zip(shownQuarter).Count(p => p.First != p.Second) < shown.Length / 100);
        var sorted = shown.Order().ToArray();
        Assert.Equal(1000, sorted[(int)(sorted.Length * 0.995)], 1.0);
        Assert.Equal(1, MapPresentation.NormalizationScale(image, Of(StudyKind.Ct)));
    }

    [Fact]
    public void LeakDetector_SeesAScaleDifference_WhenImagesAreNotNormalized_AndNotWhenTheyAre()
    {
        // The same content stored at full and at quarter scale, as a detector's and a generator's export are.
        var normalized = Of(StudyKind.Projection);
        var raw = normalized with { NormalizeTo = null, RangeMax = 5000 };
        var tooFine = normalized with { Step = 1 };
        var cases = new List<ServedCase>();
        var rawCases = new List<ServedCase>();
        var fineCases = new List<ServedCase>();
        for (var c = 1; c <= 12; c++)
        {
            var random = new Random(c);
            var real = Enumerable.Range(0, 4096).Select(_ => (float)Math.Round(200 + 3000 * random.NextDouble())).ToArray();
            var synthetic = Enumerable.Range(0, 4096).Select(_ => (float)Math.Round((200 + 3000 * random.NextDouble()) / 4)).ToArray();
            cases.Add(Served(c, real, synthetic, normalized));
            rawCases.Add(Served(c, real, synthetic, raw));
            fineCases.Add(Served(c, real, synthetic, tooFine));
        }
        // Read one image at a time: each case's real image in one trial and its synthetic one in another.
        var trials = Enumerable.Range(1, 12).SelectMany(c => new[] { new BlindingTrial(c, true), new BlindingTrial(c, false) }).ToList();

        var leaky = LeakDetector.Detect(rawCases, trials, singleImage: true);
        var blinded = LeakDetector.Detect(cases, trials, singleImage: true);
        // Normalized but presented finer than the quarter-scale image's own levels: it fills a quarter of them.
        var bitDepth = LeakDetector.Detect(fineCases, trials, singleImage: true);

        Assert.False(leaky.Passed);
        Assert.Contains(leaky.Leaks, l => l.Contains("largest value", StringComparison.Ordinal));
        Assert.Contains(bitDepth.Leaks, l => l.StartsWith("distinct values", StringComparison.Ordinal));
        Assert.True(blinded.Passed, string.Join("; ", blinded.Leaks));
    }

    private static ServedCase Served(int number, float[] real, float[] synthetic, PresentationSettings settings)
    {
        ServedImage Image(float[] shown, float[] other)
        {
            var values = MapPresentation.Present(shown, other, settings, MapPresentation.NormalizationScale(shown, settings));
            return new ServedImage("{}", "", 64, 64, [System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray()]);
        }
        return new ServedCase(number, ImageFeatures.Measure(Image(real, synthetic), settings), ImageFeatures.Measure(Image(synthetic, real), settings));
    }

    [Fact]
    public void ImageFeatures_DoNotCountWaterAsBackgroundInCt()
    {
        var ct = Of(StudyKind.Ct);
        var values = new float[] { 0, 0, 0, 40 };
        var features = ImageFeatures.Measure(new ServedImage("{}", "", 2, 2, [System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray()]), ct);

        Assert.Equal(0, features.Numbers["fraction of zeros"]);
        Assert.Empty(features.Violations);
    }

    [Fact]
    public void UseKind_SetsTheKindsPresentationDefaults_AndProjectionReadsOneImageAtATime()
    {
        var study = new Study();
        study.UseKind(StudyKind.Projection);
        Assert.Equal(ReadingMode.SingleRealOrSynthetic, study.ReadingMode);
        Assert.Equal(SeriesKind.ComparedImage, study.Profile.ComparedKind);
        Assert.False(study.Profile.Slices);

        study.UseKind(StudyKind.Ct);
        Assert.Equal(("HU", -1024.0, 3071.0, 1.0), (study.QuantityLabel, study.DisplayMin, study.DisplayMax, study.PresentationStep));
        Assert.Equal(new WindowPreset("Bone", -500, 1300), study.Profile.Presets[0]);
        Assert.True(study.Profile.Takes("ct") && !study.Profile.Takes("MG"));
        Assert.Contains("a CT (Hounsfield units) study takes CT, MR, SEG series", study.Profile.Refusal("MG"));
    }
}
