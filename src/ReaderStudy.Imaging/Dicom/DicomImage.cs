using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ReaderStudy.Imaging.Dicom;

/// <summary>
/// One decoded DICOM image: the tags the portal needs, its place in space, and its pixels both as
/// stored and as physical values (after Rescale Slope/Intercept, e.g. ms for a T2 map).
/// </summary>
public sealed record DicomImage
{
    public required string Path { get; init; }
    public required string Modality { get; init; }
    public required string SopClassUid { get; init; }
    public required string SopInstanceUid { get; init; }
    public required string StudyInstanceUid { get; init; }
    public required string SeriesInstanceUid { get; init; }
    public required string FrameOfReferenceUid { get; init; }
    public required string SeriesDescription { get; init; }
    public required int? SeriesNumber { get; init; }
    public required int? InstanceNumber { get; init; }
    public required string ImageType { get; init; }
    public required string TransferSyntaxUid { get; init; }
    public required double? EchoTime { get; init; }
    public required double? RepetitionTime { get; init; }
    public required string BurnedInAnnotation { get; init; }
    public required int Rows { get; init; }
    public required int Columns { get; init; }
    public required int Frames { get; init; }
    /// <summary>Row spacing then column spacing, mm (Pixel Spacing order).</summary>
    public required double[] PixelSpacing { get; init; }
    public required double[] ImagePosition { get; init; }
    public required double[] ImageOrientation { get; init; }
    public required double Slope { get; init; }
    public required double Intercept { get; init; }
    /// <summary>Stored values, one per pixel (all frames, row by row).</summary>
    public required int[] StoredValues { get; init; }
    /// <summary>MONOCHROME1 (high values dark, as many mammograms) or MONOCHROME2.</summary>
    public string PhotometricInterpretation { get; init; } = "MONOCHROME2";
    public int BitsStored { get; init; }
    /// <summary>Scan Options (0018,0022), e.g. FS for fat suppression.</summary>
    public string ScanOptions { get; init; } = "";
    /// <summary>For one frame of an Enhanced MR multi-frame file: that file, and the frame's number in it (1-based).</summary>
    public string? SourcePath { get; init; }
    public int? SourceFrame { get; init; }

    /// <summary>Physical values: stored × slope + intercept.</summary>
    public float[] Values()
    {
        var values = new float[StoredValues.Length];
        ValuesInto(values);
        return values;
    }

    /// <summary>Physical values written into <paramref name="values"/> (a volume's slice), with no array of their own.</summary>
    public void ValuesInto(Span<float> values)
    {
        var stored = StoredValues.AsSpan();
        if (values.Length != stored.Length)
        {
            throw new ArgumentException($"{values.Length} places for the {stored.Length} values of {Path}.", nameof(values));
        }
        var i = 0;
        if (Avx.IsSupported)
        {
            // Eight at a time, in double as one at a time: the same values to the bit.
            var (slope, intercept) = (Vector256.Create(Slope), Vector256.Create(Intercept));
            for (; i <= stored.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var lower = Avx.ConvertToVector256Double(Vector128.Create(stored.Slice(i, Vector128<int>.Count)));
                var upper = Avx.ConvertToVector256Double(Vector128.Create(stored.Slice(i + Vector128<int>.Count, Vector128<int>.Count)));
                Vector256.Narrow(lower * slope + intercept, upper * slope + intercept).CopyTo(values.Slice(i, Vector256<float>.Count));
            }
        }
        for (; i < stored.Length; i++)
        {
            values[i] = (float)(stored[i] * Slope + Intercept);
        }
    }

    /// <summary>
    /// Values as a MONOCHROME2 display shows them: physical values, except that a MONOCHROME1 image is inverted
    /// within its stored range, so that high is bright for every image (a real and a synthetic mammogram stored with
    /// different photometric interpretations look alike and compare value by value).
    /// </summary>
    public float[] DisplayValues()
    {
        var values = Values();
        if (PhotometricInterpretation != "MONOCHROME1" || BitsStored is < 1 or > 31)
        {
            return values;
        }
        var flip = (float)(Slope * ((1L << BitsStored) - 1) + 2 * Intercept);
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = flip - values[i];
        }
        return values;
    }

    /// <summary>Distance along the slice normal (row × column direction), to sort slices.</summary>
    public double SlicePosition()
    {
        if (ImageOrientation.Length != 6 || ImagePosition.Length != 3)
        {
            return InstanceNumber ?? 0;
        }
        var (r, c) = (ImageOrientation[..3], ImageOrientation[3..]);
        double[] n = [r[1] * c[2] - r[2] * c[1], r[2] * c[0] - r[0] * c[2], r[0] * c[1] - r[1] * c[0]];
        return n[0] * ImagePosition[0] + n[1] * ImagePosition[1] + n[2] * ImagePosition[2];
    }
}
