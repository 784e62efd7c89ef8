using ReaderStudy.Core.Studies;

namespace ReaderStudy.Core.Synthesis;

/// <summary>
/// A coordinator's request to synthesize maps for many subjects with one generator, run in the background.
/// Progress is not stored but counted from the maps that exist, so a restart can neither lose nor double one.
/// </summary>
public sealed class SynthesisBatch : IStudyScoped
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid StudyId { get; set; }
    public Guid GeneratorId { get; set; }
    /// <summary>The subjects to synthesize, comma-separated ids.</summary>
    public string SubjectIds { get; set; } = "";
    public bool Cancelled { get; set; }
    /// <summary>
    /// Raised by each coordinator's retry, which queues every subject still without a map again; jobs queued in an
    /// earlier round then do nothing, so a cancelled batch's leftover jobs cannot double the retried ones.
    /// </summary>
    public int Round { get; set; }
    public string RequestedBy { get; set; } = "";
    public DateTimeOffset RequestedAt { get; set; }

    public IReadOnlyList<Guid> Subjects => [.. SubjectIds.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Guid.Parse)];
}
