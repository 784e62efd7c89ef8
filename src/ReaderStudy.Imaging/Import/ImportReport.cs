using ReaderStudy.Core.Series;
using ReaderStudy.Imaging.Dicom;

namespace ReaderStudy.Imaging.Import;

public enum SeriesImportStatus
{
    Imported,
    AlreadyImported,
    Refused,
    /// <summary>Not tried: the import stopped before it (a full disk).</summary>
    NotAttempted,
}

/// <summary>What happened to one series of an import.</summary>
public sealed record SeriesImportOutcome(string Description, int? SeriesNumber, string Subject, SeriesKind Kind, string KindRule, int Images, SeriesImportStatus Status, string Message);

/// <summary>The result of one import: per series, and per file that could not be read.</summary>
public sealed record ImportReport(IReadOnlyList<SeriesImportOutcome> Series, IReadOnlyList<DicomFileError> FileErrors, int FilesRead, TimeSpan Elapsed)
{
    public int Imported => Series.Count(s => s.Status == SeriesImportStatus.Imported);

    /// <summary>Why the import ended before its last series (a full disk); null when every series was tried.</summary>
    public string? StoppedBecause { get; init; }
}

/// <summary>Progress of an import: which step and how far.</summary>
public sealed record ImportProgress(string Step, int Done, int Total);
