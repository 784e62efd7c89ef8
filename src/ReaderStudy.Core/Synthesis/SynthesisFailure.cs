using ReaderStudy.Core.Studies;

namespace ReaderStudy.Core.Synthesis;

/// <summary>
/// One failed attempt at one subject's synthetic map in a batch, so a coordinator sees which subjects failed and why.
/// A failure is final when retrying cannot help (a missing input series) or the last automatic retry failed;
/// a coordinator's retry sets <see cref="Superseded"/> on the failures it answers.
/// </summary>
public sealed class SynthesisFailure : IStudyScoped
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid StudyId { get; set; }
    public Guid BatchId { get; set; }
    public Guid SubjectId { get; set; }
    public int Attempt { get; set; }
    public bool Final { get; set; }
    public bool Superseded { get; set; }
    public string Error { get; set; } = "";
    public DateTimeOffset FailedAt { get; set; }
}

public static class SynthesisFailureLimits
{
    /// <summary>Enough for any message the pipeline writes; longer ones (stack-laden) are cut.</summary>
    public const int ErrorLength = 2000;
}
