using System.Runtime.InteropServices;
using ReaderStudy.Core.Reading.Blinding;
using ReaderStudy.Core.Reading.Presentation;

namespace ReaderStudy.Core.Tests.Reading;

/// <summary>
/// The leak detector against a simulated study whose stored maps differ the way fitted and generated maps do
/// (storage precision, clipping, background), presented by the one pipeline; then each kind of leak injected
/// into what is served, which the detector must name.
/// </summary>
public sealed class BlindingLeakDetectorTests
{
    private const int Size = 16;
    private const int Slices = 3;
    private const string Description = """{"rows":16,"columns":16,"slices":3,"sliceUrlTemplate":"/api/reading/images/xxxx/slices/{index}"}""";
    private const string Headers = "Cache-Control: no-store, private\nContent-Type: application/octet-stream";
    private static readonly PresentationSettings Study = PresentationSettings.Default;

    /// <summary>Stored maps: the real one fitted (clipped to 100 ms, unreliable voxels 0, slope 100/32000), the synthetic one generated (unclipped, background noise, slope max/32000).</summary>
    private static (float[] Real, float[] Synthetic) Stored(int seed)
    {
        var random = new Random(seed);
        var (real, synthetic) = (new float[Size * Size * Slices], new float[Size * Size * Slices]);
        for (var i = 0; i < real.Length; i++)
        {
            var row = i / Size % Size;
            var (r, s) = row switch
            {
                >= 4 and < 11 => (40 + 8 * Gaussian(random), 40 + 8 * Gaussian(random)),
                >= 11 and < 13 => (100.0, 150 + 550 * random.NextDouble()),
                _ => (0.0, 3 * random.NextDouble()),
            };
            real[i] = random.NextDouble() < 0.05 ? 0 : (float)Math.Clamp(r, 0, 100);
            synthetic[i] = (float)s;
        }
        return (Quantize(real, 100.0 / 32000), Quantize(synthetic, synthetic.Max() / 32000));
    }

    private static float[] Quantize(float[] values, double slope) => [.. values.Select(v => (float)(Math.Round(v / slope) * slope))];

    private static ServedImage Serve(float[] shown, float[] other, PresentationSettings settings, string description = Description)
    {
        var slices = new List<byte[]?>();
        for (var s = 0; s < Slices; s++)
        {
            var range = new Range(s * Size * Size, (s + 1) * Size * Size);
            slices.Add(MemoryMarshal.AsBytes(MapPresentation.Present(shown[range], other[range], settings).AsSpan()).ToArray());
        }
        return new ServedImage(description, Headers, Size, Size, slices);
    }

    private static (List<ServedCase> Cases, List<BlindingTrial> Trials) CleanStudy(int cases, int readers, int seed = 1, Func<int, ServedImage, ServedImage>? tamperSynthetic = null, bool single = false)
    {
        var served = new List<ServedCase>();
        var trials = new List<BlindingTrial>();
        var random = new Random(seed);
        for (var c = 1; c <= cases; c++)
        {
            var (real, synthetic) = Stored(seed * 1000 + c);
            var syntheticServed = Serve(synthetic, real, Study);
            served.Add(new ServedCase(c, ImageFeatures.Measure(Serve(real, synthetic, Study), Study),
                ImageFeatures.Measure(tamperSynthetic?.Invoke(c, syntheticServed) ?? syntheticServed, Study)));
            for (var r = 0; r < readers; r++)
            {
                if (single)
                {
                    trials.Add(new BlindingTrial(c, true));
                    trials.Add(new BlindingTrial(c, false));
                }
                else
                {
                    trials.Add(new BlindingTrial(c, random.Next(2) == 0));
                }
            }
        }
        return (served, trials);
    }

    [Fact]
    public void Detect_StudyPresentedByThePipeline_Passes()
    {
        var (cases, trials) = CleanStudy(cases: 40, readers: 3);

        var report = LeakDetector.Detect(cases, trials, singleImage: false);

        Assert.True(report.Passed, string.Join("; ", report.Leaks));
        Assert.Equal(120, report.Trials);
        Assert.All(report.Features, f => Assert.True(f.P > report.Threshold, $"{f.Feature}: p = {f.P}"));
    }

    [Fact]
    public void Detect_SameMapsServedAsStored_NamesRangeStepAndBackground()
    {
        // What the portal sent before one presentation pipeline: no common clip, no rounding, no common background.
        var asStored = new PresentationSettings(0, 1000, 0, PresentationMask.None);
        var served = new List<ServedCase>();
        var trials = new List<BlindingTrial>();
        for (var c = 1; c <= 30; c++)
        {
            var (real, synthetic) = Stored(c);
            served.Add(new ServedCase(c, ImageFeatures.Measure(Serve(real, synthetic, asStored), asStored), ImageFeatures.Measure(Serve(synthetic, real, asStored), asStored)));
            trials.Add(new BlindingTrial(c, c % 2 == 0));
        }

        var report = LeakDetector.Detect(served, trials, singleImage: false);

        Assert.False(report.Passed);
        var leaking = report.Features.Where(f => f.Leak).Select(f => f.Feature).ToList();
        Assert.Contains("largest value", leaking);
        Assert.Contains("quantization step", leaking);
        Assert.Contains("fraction of zeros", leaking);
        Assert.True(report.Classifier.Leak, $"classifier p = {report.Classifier.P}");
        Assert.Equal(1.0, report.Features.Single(f => f.Feature == "largest value").Accuracy);
    }

    public static TheoryData<string, string> Injected => new()
    {
        { "clip range", "value(s) lie outside the presented range 0-100 ms (from 0 to 706.2)" },
        { "quantization", "whole multiples of the 0.1 ms step" },
        { "background mask", "background (0) voxels differ" },
        { "slice count", "synthetic map: slice 3 could not be served" },
        { "description", "the description (JSON, token masked) differ" },
        { "payload size", "bytes, not 1024" },
        { "one image with NaN", "case 7, synthetic map: 1 value(s) are not finite" },
    };

    [Theory]
    [MemberData(nameof(Injected))]
    public void Detect_LeakInjectedIntoServedImages_IsNamed(string leak, string expected)
    {
        var (cases, trials) = CleanStudy(cases: 12, readers: 2, tamperSynthetic: (c, image) => Tamper(leak, c, image));

        var report = LeakDetector.Detect(cases, trials, singleImage: false);

        Assert.False(report.Passed);
        Assert.Contains(report.Leaks, l => l.Contains(expected, StringComparison.Ordinal));
    }

    private static ServedImage Tamper(string leak, int caseNumber, ServedImage image)
    {
        float[] Values(byte[]? bytes) => MemoryMarshal.Cast<byte, float>(bytes).ToArray();
        byte[] Bytes(float[] values) => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
        return leak switch
        {
            // The synthetic map's hot voxels reach the browser unclipped (the fluid rows hold 150-700 ms).
            "clip range" => image with { Slices = [.. image.Slices.Select(b => Bytes([.. Values(b).Select(v => v == 100f ? 706.2f : v)]))] },
            "quantization" => image with { Slices = [.. image.Slices.Select(b => Bytes([.. Values(b).Select(v => v > 0 && v < 100 ? v + 0.0234f : v)]))] },
            "background mask" => image with { Slices = [.. image.Slices.Select(b => Bytes([.. Values(b).Select((v, i) => v == 0 && i % 5 == 0 ? 1.2f : v)]))] },
            "slice count" => image with { Slices = [.. image.Slices.Take(2), null] },
            "description" => image with { Description = image.Description.Replace("}", ""","seriesDescription":"T2 map (synthetic)"}""") },
            "payload size" => image with { Slices = [.. image.Slices.Select(b => (byte[]?)[.. b!, 0, 0, 0, 0])] },
            "one image with NaN" when caseNumber == 7 => image with { Slices = [Bytes([float.NaN, .. Values(image.Slices[0]).Skip(1)]), .. image.Slices.Skip(1)] },
            _ => image,
        };
    }

    [Fact]
    public void Detect_ALeakWithinTheContract_IsFoundByItsFeature()
    {
        // Every value is in range and on the 0.1 ms grid, but the synthetic map only ever uses even levels.
        var (cases, trials) = CleanStudy(cases: 30, readers: 2, tamperSynthetic: (_, image) => Serve(
            [.. image.Slices.SelectMany(b => MemoryMarshal.Cast<byte, float>(b).ToArray()).Select(v => v == 0 ? 0 : (float)(Math.Round(v / 0.2) * 0.2))],
            new float[Size * Size * Slices], Study with { Mask = PresentationMask.None }));

        var report = LeakDetector.Detect(cases, trials, singleImage: false);

        Assert.Empty(report.Violations);
        var step = report.Features.Single(f => f.Feature == "quantization step");
        Assert.True(step.Leak, $"p = {step.P}");
        Assert.Equal(30, step.Correct);
    }

    [Fact]
    public void Detect_SingleImageReading_PassesCleanAndNamesAStepLeak()
    {
        var clean = CleanStudy(cases: 30, readers: 1, single: true);
        var leaky = CleanStudy(cases: 30, readers: 1, single: true, tamperSynthetic: (_, image) =>
            image with { Slices = [.. image.Slices.Select(b => MemoryMarshal.AsBytes(MemoryMarshal.Cast<byte, float>(b).ToArray().Select(v => v == 0 ? 0 : (float)(Math.Round(v / 0.5) * 0.5)).ToArray().AsSpan()).ToArray())] });

        Assert.True(LeakDetector.Detect(clean.Cases, clean.Trials, singleImage: true).Passed);
        var report = LeakDetector.Detect(leaky.Cases, leaky.Trials, singleImage: true);
        Assert.Contains(report.Features, f => f.Feature == "quantization step" && f.Leak);
    }

    [Fact]
    public void Detect_CleanStudies_RarelyRaiseAFalseAlarm()
    {
        var alarms = Enumerable.Range(1, 20).Select(seed =>
        {
            var (cases, trials) = CleanStudy(cases: 25, readers: 2, seed: seed);
            return LeakDetector.Detect(cases, trials, singleImage: false).Leaks;
        }).Where(l => l.Count > 0).ToList();

        Assert.True(alarms.Count <= 2, $"{alarms.Count} of 20 clean studies were called leaky: {string.Join(" | ", alarms.SelectMany(a => a))}");
    }

    [Fact]
    public void Detect_TooFewTrials_SaysHowManyAPerfectLeakNeeds()
    {
        var (cases, trials) = CleanStudy(cases: 2, readers: 2);

        var report = LeakDetector.Detect(cases, trials, singleImage: false);

        Assert.True(report.Passed);
        Assert.Equal(0.05 / 15, report.Threshold, 12);
        Assert.Equal(9, report.MinimumImages);
    }

    private static double Gaussian(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
