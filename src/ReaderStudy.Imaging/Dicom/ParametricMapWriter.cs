namespace ReaderStudy.Imaging.Dicom;

/// <summary>
/// Writes a quantitative map as one DICOM Parametric Map (PS3.3 A.75): float32 pixels holding the values themselves
/// (ms for T2, no rescaling), Real World Value Mapping in UCUM units, one frame per slice with its position, as dcmqi
/// and highdicom write them. The alternative to the 16-bit MR image series for readers of float maps.
/// </summary>
public static class ParametricMapWriter
{
    public const string SopClassUid = "1.2.840.10008.5.1.4.1.1.30";

    public static string Write(string path, SeriesInfo series, VolumeGeometry geometry, float[] values)
    {
        var sliceLength = geometry.Columns * geometry.Rows;
        if (values.Length != sliceLength * geometry.Slices)
        {
            throw new ArgumentException($"{values.Length} values do not fill {geometry.Columns}x{geometry.Rows}x{geometry.Slices}.", nameof(values));
        }
        var units = series.Units ?? throw new ArgumentException("A parametric map needs the units of its values.", nameof(series));
        var label = series.QuantityLabel ?? units;
        var finite = values.Where(float.IsFinite).DefaultIfEmpty(0).ToArray();
        var (low, high) = (finite.Min(), finite.Max());
        var dimensions = DicomUids.FromSeed(series.SeriesInstanceUid + "/dimensions");
        var frameType = "DERIVED\\PRIMARY\\" + label.ToUpperInvariant().Replace(' ', '_') + "\\NONE";

        using var writer = new gdcm.Writer();
        var ds = new DataSetBuilder(writer.GetFile().GetDataSet());
        ds.Identity(series, SopClassUid, DicomSeriesWriter.SopInstanceUid(series.SeriesInstanceUid, 1), "MR", 1)
            .Text(0x0008, 0x0008, "CS", frameType)
            .Text(0x0008, 0x0023, "DA", series.StudyDate)
            .Text(0x0008, 0x0033, "TM", "090000")
            .Text(0x0008, 0x1090, "LO", "ReaderStudy")
            .Text(0x0018, 0x1000, "LO", "1")
            .Text(0x0018, 0x1020, "LO", typeof(ParametricMapWriter).Assembly.GetName().Version?.ToString() ?? "0")
            .Text(0x0018, 0x5100, "CS", "FFS")
            .Text(0x0018, 0x9004, "CS", "RESEARCH")
            .Integers(0x0028, 0x0008, geometry.Slices)
            .UnsignedShort(0x0028, 0x0002, 1)
            .Text(0x0028, 0x0004, "CS", "MONOCHROME2")
            .UnsignedShort(0x0028, 0x0010, (ushort)geometry.Rows)
            .UnsignedShort(0x0028, 0x0011, (ushort)geometry.Columns)
            .UnsignedShort(0x0028, 0x0100, 32)
            .Text(0x0028, 0x0301, "CS", "NO")
            .Text(0x0028, 0x0302, "CS", "NO")
            .Text(0x0028, 0x2110, "CS", "00")
            .Text(0x2050, 0x0020, "CS", "IDENTITY")
            .Text(0x0070, 0x0080, "CS", label.ToUpperInvariant().Replace(' ', '_'))
            .Text(0x0070, 0x0081, "LO", series.SeriesDescription)
            .Text(0x0070, 0x0084, "PN", "ReaderStudy^")
            .Sequence(0x0040, 0x0555)
            .Sequence(0x0020, 0x9221, item => item.Text(0x0020, 0x9164, "UI", dimensions))
            .Sequence(0x0020, 0x9222, item => item
                .Text(0x0020, 0x9164, "UI", dimensions)
                .Bytes(0x0020, 0x9165, "AT", Tag(0x0020, 0x0032))
                .Bytes(0x0020, 0x9167, "AT", Tag(0x0020, 0x9113))
                .Text(0x0020, 0x9421, "LO", "Image Position (Patient)"));
        if (series.DerivationDescription is { } derivation)
        {
            ds.Text(0x0008, 0x2111, "ST", derivation);
        }
        if (series.Sources.Count > 0)
        {
            ds.ReferencedSeries(series.Sources);
        }
        ds.Sequence(0x5200, 0x9229, shared => shared
            .Sequence(0x0028, 0x9110, measures => measures
                .Decimals(0x0028, 0x0030, geometry.RowSpacing, geometry.ColumnSpacing)
                .Decimals(0x0018, 0x0050, geometry.SliceSpacing)
                .Decimals(0x0018, 0x0088, geometry.SliceSpacing))
            .Sequence(0x0020, 0x9116, orientation => orientation
                .Decimals(0x0020, 0x0037, [.. geometry.RowDirection, .. geometry.ColumnDirection]))
            .Sequence(0x0028, 0x9145, identity => identity
                .Decimals(0x0028, 0x1052, 0)
                .Decimals(0x0028, 0x1053, 1)
                .Text(0x0028, 0x1054, "LO", "US"))
            .Sequence(0x0028, 0x9132, window => window
                .Decimals(0x0028, 0x1050, (low + high) / 2)
                .Decimals(0x0028, 0x1051, Math.Max(1, high - low)))
            .Sequence(0x0020, 0x9071, anatomy => anatomy
                .Sequence(0x0008, 0x2218, region => region
                    .Text(0x0008, 0x0100, "SH", "72696002")
                    .Text(0x0008, 0x0102, "SH", "SCT")
                    .Text(0x0008, 0x0104, "LO", "Knee"))
                .Text(0x0020, 0x9072, "CS", series.Laterality is "R" or "L" ? series.Laterality : "U"))
            .Sequence(0x0040, 0x9092, type => type.Text(0x0008, 0x9007, "CS", frameType))
            .Sequence(0x0040, 0x9096, mapping => mapping
                .Text(0x0028, 0x3003, "LO", label)
                .Text(0x0040, 0x9210, "SH", label)
                .Double(0x0040, 0x9213, low)
                .Double(0x0040, 0x9214, high)
                .Double(0x0040, 0x9224, 0)
                .Double(0x0040, 0x9225, 1)
                .Sequence(0x0040, 0x08EA, unit => unit.UcumUnits(units))));
        ds.Sequence(0x5200, 0x9230, [.. Enumerable.Range(0, geometry.Slices).Select(slice => (Action<DataSetBuilder>)(item =>
        {
            item.Sequence(0x0020, 0x9111, content => content.Bytes(0x0020, 0x9157, "UL", BitConverter.GetBytes((uint)slice + 1)))
                .Sequence(0x0020, 0x9113, position => position.Decimals(0x0020, 0x0032, geometry.SliceOrigin(slice)));
            // The slice each frame was computed from, in each source series.
            var sources = series.Sources.Where(source => slice < source.SopInstanceUids.Count).ToList();
            if (sources.Count > 0)
            {
                item.Sequence(0x0008, 0x9124, derivation => derivation
                    .Sequence(0x0008, 0x9215, code => code
                        .Text(0x0008, 0x0100, "SH", "110001")
                        .Text(0x0008, 0x0102, "SH", "DCM")
                        .Text(0x0008, 0x0104, "LO", "Image Processing"))
                    .Sequence(0x0008, 0x2112, [.. sources.Select(source => (Action<DataSetBuilder>)(reference => reference
                        .SourceImage(source, slice)
                        .Sequence(0x0040, 0xA170, purpose => purpose
                            .Text(0x0008, 0x0100, "SH", "121322")
                            .Text(0x0008, 0x0102, "SH", "DCM")
                            .Text(0x0008, 0x0104, "LO", "Source image for image processing operation"))))]));
            }
        }))]);
        var pixels = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, pixels, 0, pixels.Length);
        ds.Bytes(0x7FE0, 0x0008, "OF", pixels);
        GdcmFiles.Save(writer, path, gdcm.TransferSyntax.TSType.ExplicitVRLittleEndian);
        return path;
    }

    private static byte[] Tag(ushort group, ushort element) => [.. BitConverter.GetBytes(group), .. BitConverter.GetBytes(element)];
}
