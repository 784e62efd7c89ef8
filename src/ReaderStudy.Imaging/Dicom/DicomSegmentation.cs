namespace ReaderStudy.Imaging.Dicom;

/// <summary>A DICOM SEG read back: its segments, and each frame's segment and position in patient space.</summary>
public sealed record DicomSegmentation(
    string Path,
    string SeriesInstanceUid,
    string ReferencedSeriesUid,
    int Rows,
    int Columns,
    IReadOnlyList<(int Number, string Label)> Segments,
    IReadOnlyList<SegmentationFrame> Frames)
{
    /// <summary>Image Orientation (Patient) of the frames (shared functional groups), row then column direction.</summary>
    public double[] Orientation { get; init; } = [1, 0, 0, 0, 1, 0];
    /// <summary>Row then column spacing, mm.</summary>
    public double[] PixelSpacing { get; init; } = [1, 1];

    /// <summary>
    /// As a volume on its own frames' planes, for viewing: each distinct frame position a slice (in order along the
    /// normal), each pixel the number of the highest segment that covers it (0 where none does).
    /// </summary>
    public (IReadOnlyList<double[]> Positions, float[] Labels) LabelVolume()
    {
        var normal = VolumeGeometry.NormalOf(Orientation[..3], Orientation[3..]);
        double Along(double[] position) => position.Zip(normal, (p, n) => p * n).Sum();
        var planes = Frames.GroupBy(f => Math.Round(Along(f.Position), 3)).OrderBy(g => g.Key).ToList();
        var sliceLength = Rows * Columns;
        var labels = new float[sliceLength * planes.Count];
        for (var slice = 0; slice < planes.Count; slice++)
        {
            foreach (var frame in planes[slice].OrderBy(f => f.SegmentNumber))
            {
                for (var i = 0; i < sliceLength; i++)
                {
                    if (frame.Pixels[i])
                    {
                        labels[slice * sliceLength + i] = frame.SegmentNumber;
                    }
                }
            }
        }
        return ([.. planes.Select(g => g.First().Position)], labels);
    }

    /// <summary>
    /// The segment as a mask over a volume whose slices lie at <paramref name="slicePositions"/> (distance
    /// along the normal, mm); frames are matched to the nearest slice within half a slice gap.
    /// </summary>
    public bool[] MaskFor(int number, IReadOnlyList<double> slicePositions, double[] normal)
    {
        var sliceLength = Rows * Columns;
        var mask = new bool[sliceLength * slicePositions.Count];
        foreach (var frame in Frames.Where(f => f.SegmentNumber == number))
        {
            if (SliceOf(frame, slicePositions, normal) is not { } slice)
            {
                continue;
            }
            for (var i = 0; i < sliceLength; i++)
            {
                mask[slice * sliceLength + i] |= frame.Pixels[i];
            }
        }
        return mask;
    }

    /// <summary>
    /// Every slice of a grid (positions along <paramref name="normal"/>), placed in one pass over the frames: each
    /// pixel the number of the highest segment covering it there, 0 where none does; null for a slice no frame lies on.
    /// For drawing outlines slice by slice.
    /// </summary>
    public byte[]?[] LabelsOnEachSlice(IReadOnlyList<double> slicePositions, double[] normal)
    {
        var slices = new byte[]?[slicePositions.Count];
        foreach (var frame in Frames.OrderBy(f => f.SegmentNumber))
        {
            if (SliceOf(frame, slicePositions, normal) is not { } slice)
            {
                continue;
            }
            var labels = slices[slice] ??= new byte[Rows * Columns];
            var label = (byte)Math.Min(frame.SegmentNumber, byte.MaxValue);
            for (var i = 0; i < labels.Length; i++)
            {
                if (frame.Pixels[i])
                {
                    labels[i] = label;
                }
            }
        }
        return slices;
    }

    // The grid slice a frame lies on: the nearest, if within half a slice gap of it.
    private static int? SliceOf(SegmentationFrame frame, IReadOnlyList<double> slicePositions, double[] normal)
    {
        var gap = slicePositions.Count > 1 ? Math.Abs(slicePositions[1] - slicePositions[0]) : double.MaxValue;
        var along = frame.Position.Zip(normal, (p, n) => p * n).Sum();
        var slice = Enumerable.Range(0, slicePositions.Count).MinBy(i => Math.Abs(slicePositions[i] - along));
        return Math.Abs(slicePositions[slice] - along) > gap / 2 + 1e-3 ? null : slice;
    }

    public static DicomSegmentation Read(string path)
    {
        var image = DicomReader.Read(path);
        using var reader = new gdcm.Reader();
        reader.SetFileName(path);
        if (!reader.Read())
        {
            throw new DicomReadException($"{path}: not readable as DICOM.");
        }
        var ds = reader.GetFile().GetDataSet();
        if (DataSetReader.Text(ds, 0x0008, 0x0016) != DicomUids.SegmentationStorage)
        {
            throw new DicomReadException($"{path}: not a DICOM Segmentation (SOP class {DataSetReader.Text(ds, 0x0008, 0x0016)}).");
        }
        var segments = DataSetReader.Items(ds, 0x0062, 0x0002)
            .Select(item => ((int)(DataSetReader.UnsignedShort(item, 0x0062, 0x0004) ?? 0), DataSetReader.Text(item, 0x0062, 0x0005)))
            .ToList();
        var shared = DataSetReader.First(ds, 0x5200, 0x9229);
        var sliceLength = image.Rows * image.Columns;
        var frames = DataSetReader.Items(ds, 0x5200, 0x9230).Select((frame, index) =>
        {
            var segment = DataSetReader.First(frame, 0x0062, 0x000A) ?? (shared is null ? null : DataSetReader.First(shared, 0x0062, 0x000A));
            var position = DataSetReader.First(frame, 0x0020, 0x9113);
            var pixels = new bool[sliceLength];
            for (var i = 0; i < sliceLength; i++)
            {
                pixels[i] = image.StoredValues[index * sliceLength + i] != 0;
            }
            return new SegmentationFrame(
                segment is null ? 0 : DataSetReader.UnsignedShort(segment, 0x0062, 0x000B) ?? 0,
                position is null ? [0, 0, 0] : DataSetReader.Decimals(position, 0x0020, 0x0032),
                pixels);
        }).ToList();
        var referenced = DataSetReader.First(ds, 0x0008, 0x1115) is { } series ? DataSetReader.Text(series, 0x0020, 0x000E) : "";
        var orientation = shared is not null && DataSetReader.First(shared, 0x0020, 0x9116) is { } plane ? DataSetReader.Decimals(plane, 0x0020, 0x0037) : [];
        var spacing = shared is not null && DataSetReader.First(shared, 0x0028, 0x9110) is { } measures ? DataSetReader.Decimals(measures, 0x0028, 0x0030) : [];
        return new DicomSegmentation(path, image.SeriesInstanceUid, referenced, image.Rows, image.Columns, segments, frames)
        {
            Orientation = orientation.Length == 6 ? orientation : [1, 0, 0, 0, 1, 0],
            PixelSpacing = spacing.Length == 2 ? spacing : [1, 1],
        };
    }
}

/// <summary>One frame of a segmentation: which segment, where, and its pixels.</summary>
public sealed record SegmentationFrame(int SegmentNumber, double[] Position, bool[] Pixels);
