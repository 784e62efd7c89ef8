using ReaderStudy.Core.Studies;

namespace ReaderStudy.Core.T2Mapping;

/// <summary>
/// A coordinator's request to fit real T2 maps for many subjects of a study, one background job per subject. As with
/// synthesis batches, progress is counted from the maps that exist (each carries the batch's mark in its kind rule),
/// so a restart can neither lose nor double one.
/// </summary>
public sealed class T2FitBatch : IStudyScoped
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid StudyId { get; set; }
    public T2FitMethod Method { get; set; }
    public bool ExcludeFirstEcho { get; set; }
    /// <summary>The subjects to fit, comma-separated ids.</summary>
    public string SubjectIds { get; set; } = "";
    public bool Cancelled { get; set; }
    public string RequestedBy { get; set; } = "";
    public DateTimeOffset RequestedAt { get; set; }

    public IReadOnlyList<Guid> Subjects => [.. SubjectIds.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Guid.Parse)];

    /// <summary>What the maps this batch fitted carry in their kind rule.</summary>
    public string Mark => $"(fit batch {Id:N})";
}

/// <summary>
/// Why one subject of a fit batch has no map: its echo train cannot be fitted (too few echoes, unreadable files).
/// Retrying the same inputs fails the same way, so every one is final; a database blip is retried by the job runner instead.
/// </summary>
public sealed class T2FitFailure : IStudyScoped
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid StudyId { get; set; }
    public Guid BatchId { get; set; }
    public Guid SubjectId { get; set; }
    public string Error { get; set; } = "";
    public DateTimeOffset FailedAt { get; set; }
}
