namespace ReaderStudy.Imaging.Import;

/// <summary>An upload that would unpack past the import limits (a zip bomb, too many files): refused before it fills the disk.</summary>
public sealed class UploadLimitException(string message) : Exception(message);
