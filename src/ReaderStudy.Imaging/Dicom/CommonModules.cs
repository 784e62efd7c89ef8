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
}
