namespace ReaderStudy.Imaging.Dicom;

/// <summary>Stacks the images of one series (or one echo of it) into a volume, checking that they form one.</summary>
public static class VolumeLoader
{
    public static LoadedVolume Stack(IReadOnlyList<DicomImage> images, string name)
    {
        var (sorted, geometry) = Arrange(images, name);
        var first = sorted[0];
        var sliceLength = first.Rows * first.Columns;
        if (sorted.FirstOrDefault(i => i.StoredValues.Length != sliceLength) is { } other)
        {
            throw new DicomReadException($"{name}: {other.Path} holds {other.StoredValues.Length / Math.Max(1, sliceLength)} frame(s) of {first.Columns}x{first.Rows}; a volume is stacked from one image per slice.");
        }
        // Each slice straight into its place (every value is written, so nothing is zeroed first), on every core: a
        // volume is stacked while a synthesis or a fit waits on it.
        var values = GC.AllocateUninitializedArray<float>(sliceLength * sorted.Count);
        Parallel.For(0, sorted.Count, s => sorted[s].ValuesInto(values.AsSpan(s * sliceLength, sliceLength)));
        return new LoadedVolume(first.SeriesInstanceUid, first.SeriesDescription, geometry, values, sorted);
    }

    /// <summary>The images of one series in slice order along the normal, and the volume's geometry, from their headers alone
    /// (pixels not needed); the same checks as <see cref="Stack"/>.</summary>
    public static (IReadOnlyList<DicomImage> Sorted, VolumeGeometry Geometry) Arrange(IReadOnlyList<DicomImage> images, string name)
    {
        if (images.Count == 0)
        {
            throw new DicomReadException($"{name}: no images.");
        }
        var sorted = images.OrderBy(i => i.SlicePosition()).ToList();
        var first = sorted[0];
        if (sorted.Any(i => i.Rows != first.Rows || i.Columns != first.Columns))
        {
            throw new DicomReadException($"{name}: images of different sizes cannot form one volume.");
        }
        var positions = sorted.Select(i => i.SlicePosition()).ToList();
        var duplicate = positions.Zip(positions.Skip(1)).FirstOrDefault(p => Math.Abs(p.Second - p.First) < 1e-3);
        if (sorted.Count > 1 && duplicate != default)
        {
            throw new DicomReadException($"{name}: two images at the same slice position {duplicate.First:F2} mm.");
        }
        var orientation = first.ImageOrientation.Length == 6 ? first.ImageOrientation : [1, 0, 0, 0, 1, 0];
        var spacing = first.PixelSpacing.Length == 2 ? first.PixelSpacing : [1, 1];
        var sliceGap = sorted.Count > 1 ? (positions[^1] - positions[0]) / (sorted.Count - 1) : 1;
        var geometry = new VolumeGeometry(first.Columns, first.Rows, sorted.Count, spacing[1], spacing[0], sliceGap,
            first.ImagePosition.Length == 3 ? first.ImagePosition : [0, 0, 0], orientation[..3], orientation[3..]);
        return (sorted, geometry);
    }
}
