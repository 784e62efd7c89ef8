namespace ReaderStudy.Core.Reading.Presentation;

/// <summary>
/// The one function that turns a stored slice into what a reader receives. It is applied to the real and
/// the synthetic image alike, with the other image of the pair for the common background, so the two can
/// differ only in the values inside the common support, on one grid of levels within one range.
/// </summary>
public static class MapPresentation
{
    /// <summary>The value of a background voxel (no value) of a quantitative map as presented.</summary>
    public const float Background = 0f;

    // Unrounded values are kept off 0 too, so a clipped-low voxel never looks like background.
    private const double SmallestUnquantized = 0.001;

    /// <summary>Presents <paramref name="shown"/> into <paramref name="presented"/>; <paramref name="other"/> is the other image of the pair on the same grid.</summary>
    /// <param name="shownScale">The shown image's normalization factor (<see cref="NormalizationScale"/>; 1 when the study does not normalize).</param>
    /// <param name="otherScale">The other image's factor; only its background matters, which scaling does not change.</param>
    public static void Present(ReadOnlySpan<float> shown, ReadOnlySpan<float> other, PresentationSettings settings, Span<float> presented, double shownScale = 1)
    {
        if (shown.Length != presented.Length || (settings.Mask == PresentationMask.CommonSupport && other.Length != shown.Length))
        {
            throw new ArgumentException($"Slices of {shown.Length} and {other.Length} voxels cannot be presented as one pair of {presented.Length}.");
        }
        var quantized = settings.Step > 0;
        var zeroIsBackground = settings.ZeroIsBackground;
        // Levels are whole multiples of the step inside the range, so both images share one finite set of values.
        // For maps the lowest level is never 0, which is kept for background.
        var (lowLevel, highLevel) = quantized
            ? (Math.Ceiling(settings.RangeMin / settings.Step - 1e-9), Math.Floor(settings.RangeMax / settings.Step + 1e-9))
            : (0, 0);
        if (quantized && zeroIsBackground)
        {
            lowLevel = Math.Max(1, lowLevel);
        }
        var lowest = zeroIsBackground ? Math.Max(settings.RangeMin, SmallestUnquantized) : settings.RangeMin;
        var background = settings.BackgroundValue();
        for (var i = 0; i < shown.Length; i++)
        {
            var value = shown[i];
            if (!float.IsFinite(value) || (zeroIsBackground && value == 0) || (settings.Mask == PresentationMask.CommonSupport && NoValue(other[i], zeroIsBackground)))
            {
                presented[i] = background;
                continue;
            }
            var scaled = value * shownScale;
            presented[i] = quantized
                ? (float)(Math.Clamp(Math.Round(scaled / settings.Step), lowLevel, highLevel) * settings.Step)
                : (float)Math.Clamp(scaled, lowest, settings.RangeMax);
        }
    }

    public static float[] Present(float[] shown, float[] other, PresentationSettings settings, double shownScale = 1)
    {
        var presented = new float[shown.Length];
        Present(shown, other, settings, presented, shownScale);
        return presented;
    }

    private static bool NoValue(float value, bool zeroIsBackground) => !float.IsFinite(value) || (zeroIsBackground && value == 0);

    /// <summary>
    /// The factor that brings an arbitrary-unit image to the study's scale: <see cref="PresentationSettings.NormalizeTo"/>
    /// over the image's 99.5th percentile of positive finite values (1 when the study does not normalize or the image has none).
    /// Computed over the whole image (every slice), so brightness does not change from slice to slice.
    /// </summary>
    public static double NormalizationScale(IEnumerable<float> values, PresentationSettings settings)
    {
        if (settings.NormalizeTo is not { } target)
        {
            return 1;
        }
        var positive = values.Where(v => float.IsFinite(v) && v > 0).ToArray();
        if (positive.Length == 0)
        {
            return 1;
        }
        Array.Sort(positive);
        var percentile = positive[Math.Min(positive.Length - 1, (int)(positive.Length * 0.995))];
        return target / percentile;
    }
}
