namespace ReaderStudy.Imaging.Dicom;

/// <summary>One decoded DICOM image: its pixels as stored (before rescale) and the tags the portal needs.</summary>
public sealed record DicomImage(
    string Path,
    string Modality,
    string SeriesDescription,
    string SeriesInstanceUid,
    string TransferSyntaxUid,
    int Rows,
    int Columns,
    ushort[] Pixels);
