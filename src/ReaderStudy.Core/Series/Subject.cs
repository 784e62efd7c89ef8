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
}
