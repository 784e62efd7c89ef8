namespace ReaderStudy.Core.Reading.Presentation;

/// <summary>
/// The one function that turns a stored map slice into what a reader receives. It is applied to the real
/// and the synthetic map alike, with the other map of the pair for the common background, so the two
/// can differ only in the values inside the common support, on one grid of levels within one range.
/// </summary>
public static class MapPresentation
{
    /// <summary>The value of a background voxel (no value) as presented.</summary>
    public const float Background = 0f;

    // Unrounded values are kept off 0 too, so a clipped-low voxel never looks like background.
    private const double SmallestUnquantized = 0.001;

    /// <summary>Presents <paramref name="shown"/> into <paramref name="presented"/>; <paramref name="other"/> is the other map of the pair on the same grid.</summary>
    public static void Present(ReadOnlySpan<float> shown, ReadOnlySpan<float> other, PresentationSettings settings, Span<float> presented)
    {
        if (shown.Length != presented.Length || (settings.Mask == PresentationMask.CommonSupport && other.Length != shown.Length))
        {
            throw new ArgumentException($"Slices of {shown.Length} and {other.Length} voxels cannot be presented as one pair of {presented.Length}.");
        }
        var quantized = settings.Step > 0;
        // Levels are whole multiples of the step inside the range, so both maps share one finite set of values.
        // The lowest level is never 0, which is kept for background.
        var (lowLevel, highLevel) = quantized
            ? (Math.Max(1, Math.Ceiling(settings.RangeMin / settings.Step - 1e-9)), Math.Floor(settings.RangeMax / settings.Step + 1e-9))
            : (0, 0);
        var lowest = Math.Max(settings.RangeMin, SmallestUnquantized);
        for (var i = 0; i < shown.Length; i++)
        {
            var value = shown[i];
            var background = !float.IsFinite(value) || value == 0
                || (settings.Mask == PresentationMask.CommonSupport && (!float.IsFinite(other[i]) || other[i] == 0));
            if (background)
            {
                presented[i] = Background;
                continue;
            }
            presented[i] = quantized
                ? (float)(Math.Clamp(Math.Round(value / settings.Step), lowLevel, highLevel) * settings.Step)
                : (float)Math.Clamp(value, lowest, settings.RangeMax);
        }
    }

    public static float[] Present(float[] shown, float[] other, PresentationSettings settings)
    {
        var presented = new float[shown.Length];
        Present(shown, other, settings, presented);
        return presented;
    }
}
