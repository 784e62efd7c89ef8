namespace ReaderStudy.Imaging.Dicom;

/// <summary>The modules every file ReaderStudy writes carries: SOP common, patient, general study and series, equipment, frame of reference.</summary>
internal static class CommonModules
{
    public static DataSetBuilder Identity(this DataSetBuilder ds, SeriesInfo series, string sopClassUid, string sopInstanceUid, string modality, int instance) => ds
        .Text(0x0008, 0x0005, "CS", "ISO_IR 100")
        .Text(0x0008, 0x0016, "UI", sopClassUid)
        .Text(0x0008, 0x0018, "UI", sopInstanceUid)
        .Text(0x0008, 0x0020, "DA", series.StudyDate)
        .Text(0x0008, 0x0030, "TM", "090000")
        .Text(0x0008, 0x0050, "SH", "")
        .Text(0x0008, 0x0060, "CS", modality)
        .Text(0x0008, 0x0070, "LO", "ReaderStudy")
        .Text(0x0008, 0x0090, "PN", "")
        .Text(0x0008, 0x103E, "LO", series.SeriesDescription)
        .Text(0x0010, 0x0010, "PN", series.PatientName)
        .Text(0x0010, 0x0020, "LO", series.PatientId)
        .Text(0x0010, 0x0030, "DA", "")
        .Text(0x0010, 0x0040, "CS", "O")
        .Text(0x0020, 0x000D, "UI", series.StudyInstanceUid)
        .Text(0x0020, 0x000E, "UI", series.SeriesInstanceUid)
        .Text(0x0020, 0x0010, "SH", "1")
        .Integers(0x0020, 0x0011, series.SeriesNumber)
        .Integers(0x0020, 0x0013, instance)
        .Text(0x0020, 0x0052, "UI", series.FrameOfReferenceUid)
        .Text(0x0020, 0x1040, "LO", "");

    /// <summary>Referenced Series Sequence: each source series with its instances (each once, however many frames).</summary>
    public static DataSetBuilder ReferencedSeries(this DataSetBuilder ds, IReadOnlyList<SourceSeries> sources) =>
        ds.Sequence(0x0008, 0x1115, [.. sources.Select(source => (Action<DataSetBuilder>)(item => item
            .Text(0x0020, 0x000E, "UI", source.SeriesInstanceUid)
            .Sequence(0x0008, 0x114A, [.. source.SopInstanceUids.Distinct().Select(sop => (Action<DataSetBuilder>)(instance => instance
                .Text(0x0008, 0x1150, "UI", source.SopClassUid)
                .Text(0x0008, 0x1155, "UI", sop)))])))]);

    /// <summary>One source image of a slice: its class, instance and, inside a multi-frame instance, its frame.</summary>
    public static DataSetBuilder SourceImage(this DataSetBuilder item, SourceSeries source, int slice)
    {
        item.Text(0x0008, 0x1150, "UI", source.SopClassUid).Text(0x0008, 0x1155, "UI", source.SopInstanceUids[slice]);
        if (slice < source.FrameNumbers.Count && source.FrameNumbers[slice] is { } frame)
        {
            item.Integers(0x0008, 0x1160, frame);
        }
        return item;
    }

    /// <summary>Measurement Units Code Sequence item in UCUM.</summary>
    public static DataSetBuilder UcumUnits(this DataSetBuilder unit, string units) => unit
        .Text(0x0008, 0x0100, "SH", units)
        .Text(0x0008, 0x0102, "SH", "UCUM")
        .Text(0x0008, 0x0103, "SH", "1.4")
        .Text(0x0008, 0x0104, "LO", units == "ms" ? "millisecond" : units);

    /// <summary>A code sequence item (SNOMED CT unless said).</summary>
    public static DataSetBuilder Code(this DataSetBuilder item, string value, string meaning, string scheme = "SCT") => item
        .Text(0x0008, 0x0100, "SH", value)
        .Text(0x0008, 0x0102, "SH", scheme)
        .Text(0x0008, 0x0104, "LO", meaning);

    /// <summary>
    /// What a digital mammogram "for presentation" says of itself beyond an image: detector spacing, view and
    /// laterality, intensity relationship, the presentation LUT that goes with its photometric interpretation, and a window.
    /// </summary>
    public static DataSetBuilder MammographyView(this DataSetBuilder ds, SeriesInfo series, VolumeGeometry geometry, int top)
    {
        var inverse = series.PhotometricInterpretation == "MONOCHROME1";
        return ds.Decimals(0x0018, 0x1164, geometry.RowSpacing, geometry.ColumnSpacing)
            .Text(0x0008, 0x0068, "CS", "FOR PRESENTATION")
            .Text(0x0018, 0x5101, "CS", "CC")
            .Text(0x0020, 0x0062, "CS", series.Laterality)
            .Text(0x0020, 0x0020, "CS", series.Laterality == "R" ? "P\\L" : "A\\R")
            .Text(0x0018, 0x7004, "CS", "DIRECT")
            .Text(0x0018, 0x1508, "CS", "MAMMOGRAPHIC")
            .Text(0x0040, 0x0318, "CS", "BREAST")
            .Text(0x0028, 0x1040, "CS", "LOG")
            .Bytes(0x0028, 0x1041, "SS", BitConverter.GetBytes((short)(inverse ? 1 : -1)))
            .Text(0x2050, 0x0020, "CS", inverse ? "INVERSE" : "IDENTITY")
            .Text(0x0028, 0x2110, "CS", "00")
            .Decimals(0x0028, 0x1050, top / 2.0)
            .Decimals(0x0028, 0x1051, top + 1.0)
            .Sequence(0x0008, 0x2218, item => item.Code("76752008", "Breast"))
            .Sequence(0x0054, 0x0220, item => item.Code("399162004", "cranio-caudal").Sequence(0x0054, 0x0222))
            .Sequence(0x0040, 0x0555);
    }
}
