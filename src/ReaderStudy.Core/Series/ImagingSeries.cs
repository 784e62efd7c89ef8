using ReaderStudy.Core.Studies;

namespace ReaderStudy.Core.Series;

/// <summary>One imported (de-identified) DICOM series of a subject, with what the portal thinks it is.</summary>
public sealed class ImagingSeries : IStudyScoped
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid StudyId { get; set; }
    public Guid SubjectId { get; set; }
    /// <summary>The series UID after de-identification (remapped consistently within the study).</summary>
    public string SeriesInstanceUid { get; set; } = "";
    public string Modality { get; set; } = "";
    public string Description { get; set; } = "";
    public int? SeriesNumber { get; set; }
    public SeriesKind Kind { get; set; }
    /// <summary>Why the portal chose <see cref="Kind"/>, or who overrode it.</summary>
    public string KindRule { get; set; } = "";
    public bool KindOverridden { get; set; }
    public int Rows { get; set; }
    public int Columns { get; set; }
    public int ImageCount { get; set; }
    /// <summary>Distinct echo times, ms, comma-separated ("10,20,30").</summary>
    public string EchoTimesMs { get; set; } = "";
    public DateTimeOffset ImportedAt { get; set; }
    /// <summary>For a quantitative map: measured (fitted from an acquisition) or synthetic (from a generator).</summary>
    public MapOrigin Origin { get; set; }
    public List<SeriesImage> Images { get; set; } = [];
}
