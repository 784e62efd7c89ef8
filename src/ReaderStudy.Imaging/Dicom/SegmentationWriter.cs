namespace ReaderStudy.Imaging.Dicom;

/// <summary>
/// Writes binary segments as one DICOM Segmentation (SEG) object: a frame per segment and slice,
/// bits packed, shared geometry and per-frame positions, so segmentation tools and viewers can read it.
/// </summary>
public static class SegmentationWriter
{
    /// <summary>A private coding scheme for the phantom's region codes (PS3.16 allows "99"-prefixed designators).</summary>
    public const string CodingScheme = "99READERSTUDY";

    /// <param name="segmented">The series the segments were drawn on, with its instances in slice order (one per frame position).</param>
    public static string Write(string path, SeriesInfo series, VolumeGeometry geometry, IReadOnlyList<SegmentMask> segments, SourceSeries segmented)
    {
        var sliceLength = geometry.Rows * geometry.Columns;
        var frames = segments.SelectMany(s => Enumerable.Range(0, geometry.Slices).Select(z => (Segment: s, Slice: z))).ToList();
        var bits = new byte[(frames.Count * sliceLength + 15) / 16 * 2];
        for (var f = 0; f < frames.Count; f++)
        {
            var (segment, slice) = frames[f];
            for (var i = 0; i < sliceLength; i++)
            {
                if (segment.Mask[slice * sliceLength + i])
                {
                    var bit = f * sliceLength + i;
                    bits[bit >> 3] |= (byte)(1 << (bit & 7));
                }
            }
        }

        using var writer = new gdcm.Writer();
        var ds = new DataSetBuilder(writer.GetFile().GetDataSet());
        ds.Identity(series, DicomUids.SegmentationStorage, DicomSeriesWriter.SopInstanceUid(series.SeriesInstanceUid, 0), "SEG", 1)
            .Text(0x0008, 0x0008, "CS", "DERIVED\\PRIMARY")
            .Text(0x0008, 0x0023, "DA", series.StudyDate)
            .Text(0x0008, 0x0033, "TM", "090000")
            .Text(0x0008, 0x1090, "LO", "ReaderStudy knee phantom")
            .Text(0x0018, 0x1000, "LO", "1")
            .Text(0x0018, 0x1020, "LO", "0.1")
            .UnsignedShort(0x0028, 0x0002, 1)
            .Text(0x0028, 0x0004, "CS", "MONOCHROME2")
            .Integers(0x0028, 0x0008, frames.Count)
            .UnsignedShort(0x0028, 0x0010, (ushort)geometry.Rows)
            .UnsignedShort(0x0028, 0x0011, (ushort)geometry.Columns)
            .UnsignedShort(0x0028, 0x0100, 1)
            .UnsignedShort(0x0028, 0x0101, 1)
            .UnsignedShort(0x0028, 0x0102, 0)
            .UnsignedShort(0x0028, 0x0103, 0)
            .Text(0x0028, 0x2110, "CS", "00")
            .Text(0x0062, 0x0001, "CS", "BINARY")
            .Text(0x0070, 0x0080, "CS", "CARTILAGE")
            .Text(0x0070, 0x0081, "LO", series.SeriesDescription)
            .Text(0x0070, 0x0084, "PN", "ReaderStudy^Phantom")
            .Sequence(0x0008, 0x1115, item => item
                .Text(0x0020, 0x000E, "UI", segmented.SeriesInstanceUid)
                .Sequence(0x0008, 0x114A, [.. segmented.SopInstanceUids.Select(sop => (Action<DataSetBuilder>)(instance => instance
                    .Text(0x0008, 0x1150, "UI", DicomUids.MrImageStorage)
                    .Text(0x0008, 0x1155, "UI", sop)))]))
            .Sequence(0x0020, 0x9221, item => item.Text(0x0020, 0x9164, "UI", DicomUids.FromSeed(series.SeriesInstanceUid + "/dimensions")))
            .Sequence(0x0020, 0x9222,
                item => Dimension(item, series, 0x0062, 0x000B, 0x0062, 0x000A),
                item => Dimension(item, series, 0x0020, 0x0032, 0x0020, 0x9113))
            .Sequence(0x0062, 0x0002, [.. segments.Select(segment => (Action<DataSetBuilder>)(item => item
                .UnsignedShort(0x0062, 0x0004, (ushort)segment.Number)
                .Text(0x0062, 0x0005, "LO", segment.Label)
                .Text(0x0062, 0x0008, "CS", "AUTOMATIC")
                .Text(0x0062, 0x0009, "LO", "ReaderStudy knee phantom")
                .Sequence(0x0062, 0x0003, code => Code(code, "ANAT", "Anatomical structure"))
                .Sequence(0x0062, 0x000F, code => Code(code, $"REGION{segment.Number}", segment.Label))))])
            .Sequence(0x5200, 0x9229, shared => shared
                .Sequence(0x0028, 0x9110, measures => measures
                    .Decimals(0x0028, 0x0030, geometry.RowSpacing, geometry.ColumnSpacing)
                    .Decimals(0x0018, 0x0050, geometry.SliceSpacing)
                    .Decimals(0x0018, 0x0088, geometry.SliceSpacing))
                .Sequence(0x0020, 0x9116, orientation => orientation
                    .Decimals(0x0020, 0x0037, [.. geometry.RowDirection, .. geometry.ColumnDirection])))
            .Sequence(0x5200, 0x9230, [.. frames.Select(frame => (Action<DataSetBuilder>)(item => item
                // The image each frame was segmented on: what ties the SEG to its source instances.
                .Sequence(0x0008, 0x9124, derivation => derivation
                    .Sequence(0x0008, 0x9215, code => DcmCode(code, "113076", "Segmentation"))
                    .Sequence(0x0008, 0x2112, source => source
                        .Text(0x0008, 0x1150, "UI", DicomUids.MrImageStorage)
                        .Text(0x0008, 0x1155, "UI", segmented.SopInstanceUids[frame.Slice])
                        .Sequence(0x0040, 0xA170, code => DcmCode(code, "121322", "Source image for image processing operation"))))
                .Sequence(0x0020, 0x9111, content => content.Bytes(0x0020, 0x9157, "UL", [.. BitConverter.GetBytes((uint)frame.Segment.Number), .. BitConverter.GetBytes((uint)frame.Slice + 1)]))
                .Sequence(0x0020, 0x9113, position => position.Decimals(0x0020, 0x0032, geometry.SliceOrigin(frame.Slice)))
                .Sequence(0x0062, 0x000A, segment => segment.UnsignedShort(0x0062, 0x000B, (ushort)frame.Segment.Number))))])
            .Bytes(0x7FE0, 0x0010, "OB", bits);
        GdcmFiles.Save(writer, path, gdcm.TransferSyntax.TSType.ExplicitVRLittleEndian);
        return path;
    }

    private static void Dimension(DataSetBuilder item, SeriesInfo series, ushort pointerGroup, ushort pointerElement, ushort groupGroup, ushort groupElement) => item
        .Text(0x0020, 0x9164, "UI", DicomUids.FromSeed(series.SeriesInstanceUid + "/dimensions"))
        .Bytes(0x0020, 0x9165, "AT", Tag(pointerGroup, pointerElement))
        .Bytes(0x0020, 0x9167, "AT", Tag(groupGroup, groupElement));

    private static byte[] Tag(ushort group, ushort element) => [.. BitConverter.GetBytes(group), .. BitConverter.GetBytes(element)];

    private static void DcmCode(DataSetBuilder item, string value, string meaning) => item
        .Text(0x0008, 0x0100, "SH", value)
        .Text(0x0008, 0x0102, "SH", "DCM")
        .Text(0x0008, 0x0104, "LO", meaning);

    private static void Code(DataSetBuilder item, string value, string meaning) => item
        .Text(0x0008, 0x0100, "SH", value)
        .Text(0x0008, 0x0102, "SH", CodingScheme)
        .Text(0x0008, 0x0104, "LO", meaning);
}
