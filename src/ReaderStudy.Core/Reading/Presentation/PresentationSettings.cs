using System.Globalization;

namespace ReaderStudy.Core.Reading.Presentation;

/// <summary>
/// How every image of a study reaches a reader's browser: one clip range and one quantization step for
/// both maps of a pair, and one rule for background. Chosen by the coordinator before the study opens and
/// recorded with the study, its exports and its report.
/// </summary>
/// <param name="RangeMin">Values below are shown as this value (clipped), ms.</param>
/// <param name="RangeMax">Values above are shown as this value (clipped), ms.</param>
/// <param name="Step">Every shown value is a whole multiple of this, ms; 0 shows values as stored (not blinded against storage precision).</param>
/// <param name="Mask">Which voxels are background (0) in both images.</param>
public sealed record PresentationSettings(double RangeMin, double RangeMax, double Step, PresentationMask Mask)
{
    public static readonly PresentationSettings Default = new(0, 100, 0.1, PresentationMask.CommonSupport);

    /// <summary>The problem with these settings, or null when they can be used.</summary>
    public string? Problem() =>
        !double.IsFinite(RangeMin) || !double.IsFinite(RangeMax) || !(RangeMin < RangeMax) ? $"The presented range {RangeMin} to {RangeMax} ms is empty."
        : RangeMin < 0 ? $"The presented range starts below 0 ms ({RangeMin}); 0 is kept for background."
        : !double.IsFinite(Step) || Step < 0 ? $"The quantization step {Step} ms is not a non-negative number."
        : Step > 0 && (RangeMax - RangeMin) / Step > 1_000_000 ? $"A step of {Step} ms over {RangeMin} to {RangeMax} ms gives more than a million levels."
        : Step > 0 && Step > RangeMax - RangeMin ? $"A step of {Step} ms is wider than the range {RangeMin} to {RangeMax} ms."
        : null;

    /// <summary>One line for the study page, the report and the exports.</summary>
    public string Summary() => string.Create(CultureInfo.InvariantCulture,
        $"values clipped to {RangeMin:0.###}-{RangeMax:0.###} ms, {(Step > 0 ? $"rounded to {Step:0.#####} ms" : "as stored (not rounded)")}, background: {(Mask == PresentationMask.CommonSupport ? "a voxel without a value in either map is 0 in both" : "each map's own (no common mask)")}");
}
