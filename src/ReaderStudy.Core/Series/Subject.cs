using ReaderStudy.Core.Studies;

namespace ReaderStudy.Core.Series;

/// <summary>A de-identified person in one study, known only by a pseudonym.</summary>
public sealed class Subject : IStudyScoped
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid StudyId { get; set; }
    /// <summary>e.g. "S-0001"; replaces Patient Name and Patient ID in every stored file.</summary>
    public string Pseudonym { get; set; } = "";
    /// <summary>A keyed hash of the original patient identity, so the same patient maps to the same subject; not reversible.</summary>
    public string PatientKey { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>The reference standard for a diagnostic study's finding: true when present, null when not yet given.</summary>
    public bool? ReferenceTruth { get; set; }
    /// <summary>Why the coordinator left this subject out of the study's cases (before opening); null when it is in.</summary>
    public string? ExcludedReason { get; set; }
    /// <summary>The real image the subject's case uses when it has several; null for the newest.</summary>
    public Guid? ChosenRealSeriesId { get; set; }
    /// <summary>The synthetic image the subject's case uses when it has several; null for the newest.</summary>
    public Guid? ChosenSyntheticSeriesId { get; set; }
}
