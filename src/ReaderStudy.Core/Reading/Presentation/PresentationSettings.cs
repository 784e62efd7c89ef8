using System.Globalization;

namespace ReaderStudy.Core.Reading.Presentation;

/// <summary>
/// How every image of a study reaches a reader's browser: one clip range and one quantization step for
/// both images of a pair, one rule for background, and for arbitrary-unit images one intensity
/// normalization. Chosen by the coordinator before the study opens (defaults from the study's kind) and
/// recorded with the study, its exports and its report.
/// </summary>
/// <param name="RangeMin">Values below are shown as this value (clipped), in <paramref name="Units"/>.</param>
/// <param name="RangeMax">Values above are shown as this value (clipped).</param>
/// <param name="Step">Every shown value is a whole multiple of this; 0 shows values as stored (not blinded against storage precision).</param>
/// <param name="Mask">Which voxels are background in both images.</param>
/// <param name="ZeroIsBackground">0 means "no value" (quantitative maps), so the range starts at 0 or above and background is 0;
/// otherwise (HU, signal) only non-finite values are background, shown as the lowest value of the range.</param>
/// <param name="Units">The values' units, for messages and the report ("ms", "HU", "" for arbitrary units).</param>
/// <param name="NormalizeTo">Arbitrary-unit images: each image is scaled so its 99.5th percentile of positive values is this (null: not scaled).</param>
public sealed record PresentationSettings(double RangeMin, double RangeMax, double Step, PresentationMask Mask,
    bool ZeroIsBackground = true, string Units = "ms", double? NormalizeTo = null)
{
    public static readonly PresentationSettings Default = new(0, 100, 0.1, PresentationMask.CommonSupport);

    /// <summary>What a background voxel (no value) is presented as: 0 for maps, else the lowest level of the range.</summary>
    public float BackgroundValue() =>
        ZeroIsBackground ? 0f : (float)(Step > 0 ? Math.Ceiling(RangeMin / Step - 1e-9) * Step : RangeMin);

    private string U => Units.Length == 0 ? "" : " " + Units;

    /// <summary>The problem with these settings, or null when they can be used.</summary>
    public string? Problem() =>
        !double.IsFinite(RangeMin) || !double.IsFinite(RangeMax) || !(RangeMin < RangeMax) ? $"The presented range {RangeMin} to {RangeMax}{U} is empty."
        : ZeroIsBackground && RangeMin < 0 ? $"The presented range starts below 0{U} ({RangeMin}); 0 is kept for background."
        : !double.IsFinite(Step) || Step < 0 ? $"The quantization step {Step}{U} is not a non-negative number."
        : Step > 0 && (RangeMax - RangeMin) / Step > 1_000_000 ? $"A step of {Step}{U} over {RangeMin} to {RangeMax}{U} gives more than a million levels."
        : Step > 0 && Step > RangeMax - RangeMin ? $"A step of {Step}{U} is wider than the range {RangeMin} to {RangeMax}{U}."
        : NormalizeTo is { } n && !(double.IsFinite(n) && n > 0) ? $"The normalization scale {n} is not a positive number."
        : null;

    /// <summary>One line for the study page, the report and the exports.</summary>
    public string Summary() => string.Create(CultureInfo.InvariantCulture,
        $"{(NormalizeTo is { } n ? $"each image scaled so its 99.5th percentile is {n:0.###}, then " : "")}values clipped to {RangeMin:0.###}-{RangeMax:0.###}{U}, {(Step > 0 ? $"rounded to {Step:0.#####}{U}" : "as stored (not rounded)")}, background: {Background()}");

    private string Background() => (Mask, ZeroIsBackground) switch
    {
        (PresentationMask.CommonSupport, true) => "a voxel without a value in either map is 0 in both",
        (PresentationMask.CommonSupport, false) => string.Create(CultureInfo.InvariantCulture, $"a voxel without a value in either image is {RangeMin:0.###}{U} in both"),
        (_, true) => "each map's own (no common mask)",
        _ => "each image's own (no common mask)",
    };
}
