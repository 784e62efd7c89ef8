namespace ReaderStudy.Imaging.Dicom;

/// <summary>A file that is not readable DICOM; the message names the file and what is wrong with it.</summary>
public sealed class DicomReadException(string message) : Exception(message);
