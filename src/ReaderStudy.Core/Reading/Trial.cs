using ReaderStudy.Core.Studies;

namespace ReaderStudy.Core.Reading;

/// <summary>
/// One reader's view of one case: its place in the reader's order and which side holds the real map.
/// Secret until the study closes: only coordinators and statisticians see it then. The image tokens are
/// random, so nothing a reader's browser receives tells the two images apart.
/// </summary>
public sealed class Trial : IStudyScoped
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid StudyId { get; set; }
    public Guid CaseId { get; set; }
    public string ReaderId { get; set; } = "";
    /// <summary>1-based position in this reader's order.</summary>
    public int Position { get; set; }
    /// <summary>Paired reading: the real image is on the left. Single-image reading: the image shown is the real one.</summary>
    public bool RealOnLeft { get; set; }
    /// <summary>A second reading of a case, after the washout, for intra-reader agreement.</summary>
    public bool IsRepeat { get; set; }
    /// <summary>Diagnostic reading: 1 or 2, the block of the reader's order (a subject's two readings fall in different blocks).</summary>
    public int Block { get; set; } = 1;
    /// <summary>The seed this reader's order and sides were drawn from.</summary>
    public int Seed { get; set; }
    public string LeftImageToken { get; set; } = "";
    public string RightImageToken { get; set; } = "";
    public DateTimeOffset? OpenedAt { get; set; }
    public DateTimeOffset? SubmittedAt { get; set; }
    /// <summary>Time the reader spent on the case, seconds, summed over visits.</summary>
    public double SecondsSpent { get; set; }
}
