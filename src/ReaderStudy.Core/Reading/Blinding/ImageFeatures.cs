using System.Globalization;
using System.Runtime.InteropServices;
using ReaderStudy.Core.Reading.Presentation;

namespace ReaderStudy.Core.Reading.Blinding;

/// <summary>
/// Low-level features of one served image that a determined reader could compute in the browser, and the
/// ways it breaks the presentation contract (values the one presentation pipeline can never send).
/// </summary>
public sealed record ImageFeatures(IReadOnlyDictionary<string, double> Numbers, IReadOnlyDictionary<string, string> Texts, ulong ZeroPattern, IReadOnlyList<string> Violations)
{
    public static readonly IReadOnlyList<string> NumberNames =
    [
        "largest value", "smallest value", "smallest positive value", "quantization step", "distinct values",
        "fraction of zeros", "fraction clipped at the top", "fraction clipped at the bottom", "fraction not finite",
        "histogram entropy", "payload bytes", "slices served",
    ];

    public static readonly IReadOnlyList<string> TextNames = ["description (JSON, token masked)", "response headers"];

    private const int HistogramBins = 64;

    public static ImageFeatures Measure(ServedImage image, PresentationSettings settings)
    {
        var violations = new List<string>();
        if (image.Description.Length == 0 || image.Slices.Count == 0)
        {
            violations.Add("nothing could be served: the map has no readable images");
        }
        var distinct = new HashSet<float>();
        var (largest, smallest, smallestPositive) = (double.NegativeInfinity, double.PositiveInfinity, double.PositiveInfinity);
        long voxels = 0, zeros = 0, top = 0, bottom = 0, notFinite = 0, outside = 0, offGrid = 0, payload = 0, served = 0;
        var zeroPattern = 14695981039346656037UL;
        var histogram = new long[HistogramBins];
        var background = MapPresentation.Background;
        var units = settings.Units.Length == 0 ? "" : " " + settings.Units;
        var expectedBytes = image.Rows * image.Columns * sizeof(float);
        for (var s = 0; s < image.Slices.Count; s++)
        {
            var bytes = image.Slices[s];
            if (bytes is null)
            {
                violations.Add($"slice {s + 1} could not be served");
                continue;
            }
            served++;
            payload += bytes.Length;
            if (bytes.Length != expectedBytes)
            {
                violations.Add($"slice {s + 1} is {bytes.Length} bytes, not {expectedBytes} ({image.Rows}x{image.Columns} float32)");
            }
            var values = MemoryMarshal.Cast<byte, float>(bytes.AsSpan(0, bytes.Length / sizeof(float) * sizeof(float)));
            for (var i = 0; i < values.Length; i++)
            {
                var v = values[i];
                voxels++;
                if (!float.IsFinite(v))
                {
                    notFinite++;
                    continue;
                }
                distinct.Add(v);
                largest = Math.Max(largest, v);
                smallest = Math.Min(smallest, v);
                // Only a map has background voxels of its own (0); elsewhere the lowest level is content clipped at the bottom.
                if (settings.ZeroIsBackground && v == background)
                {
                    zeros++;
                    zeroPattern = (zeroPattern ^ (ulong)(voxels - 1)) * 1099511628211UL;
                    continue;
                }
                smallestPositive = v > 0 ? Math.Min(smallestPositive, v) : smallestPositive;
                top += v >= settings.RangeMax ? 1 : 0;
                bottom += v <= settings.RangeMin ? 1 : 0;
                if (v < settings.RangeMin - 1e-6 || v > settings.RangeMax + 1e-6)
                {
                    outside++;
                }
                else if (settings.Step > 0 && Math.Abs(v / settings.Step - Math.Round(v / settings.Step)) > 1e-3)
                {
                    offGrid++;
                }
                var bin = (int)((v - settings.RangeMin) / (settings.RangeMax - settings.RangeMin) * HistogramBins);
                histogram[Math.Clamp(bin, 0, HistogramBins - 1)]++;
            }
        }
        if (notFinite > 0)
        {
            violations.Add($"{notFinite} value(s) are not finite (NaN or infinite)");
        }
        if (outside > 0)
        {
            violations.Add(string.Create(CultureInfo.InvariantCulture, $"{outside} value(s) lie outside the presented range {settings.RangeMin}-{settings.RangeMax}{units} (from {smallest:0.###} to {largest:0.###})"));
        }
        if (offGrid > 0)
        {
            violations.Add(string.Create(CultureInfo.InvariantCulture, $"{offGrid} value(s) are not whole multiples of the {settings.Step}{units} step"));
        }
        var sorted = distinct.Order().ToArray();
        var step = double.PositiveInfinity;
        for (var i = 1; i < sorted.Length; i++)
        {
            step = Math.Min(step, sorted[i] - sorted[i - 1]);
        }
        double Fraction(long n) => voxels == 0 ? 0 : (double)n / voxels;
        var numbers = new Dictionary<string, double>
        {
            ["largest value"] = Finite(largest),
            ["smallest value"] = Finite(smallest),
            ["smallest positive value"] = Finite(smallestPositive),
            ["quantization step"] = Finite(step),
            ["distinct values"] = distinct.Count,
            ["fraction of zeros"] = Fraction(zeros),
            ["fraction clipped at the top"] = Fraction(top),
            ["fraction clipped at the bottom"] = Fraction(bottom),
            ["fraction not finite"] = Fraction(notFinite),
            ["histogram entropy"] = Entropy(histogram),
            ["payload bytes"] = payload,
            ["slices served"] = served,
        };
        var texts = new Dictionary<string, string> { [TextNames[0]] = image.Description, [TextNames[1]] = image.Headers };
        return new ImageFeatures(numbers, texts, zeroPattern, violations);
    }

    private static double Finite(double value) => double.IsFinite(value) ? value : 0;

    private static double Entropy(long[] histogram)
    {
        var total = (double)histogram.Sum();
        return total == 0 ? 0 : -histogram.Where(n => n > 0).Sum(n => n / total * Math.Log2(n / total));
    }
}
