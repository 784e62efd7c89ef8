namespace ReaderStudy.Imaging.Dicom;

/// <summary>A file that is not readable DICOM; the message names the file and what is wrong with it.</summary>
public sealed class DicomReadException(string message, string? seriesInstanceUid = null) : Exception(message)
{
    /// <summary>The series the file belongs to, when its header could still be read (a truncated file, say).</summary>
    public string? SeriesInstanceUid { get; } = seriesInstanceUid;
}
