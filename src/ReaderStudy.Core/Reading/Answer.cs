using ReaderStudy.Core.Studies;

namespace ReaderStudy.Core.Reading;

/// <summary>A reader's current answer to one question in one trial (per image where the question asks so).</summary>
public sealed class Answer : IStudyScoped, Auditing.IAuditDescribed
{
    public long Id { get; set; }
    public Guid StudyId { get; set; }
    public Guid TrialId { get; set; }
    public Guid QuestionId { get; set; }
    /// <summary>"" for the pair, "left" or "right" for a per-image question.</summary>
    public string Side { get; set; } = "";
    public string Value { get; set; } = "";
    public DateTimeOffset AnsweredAt { get; set; }
    /// <summary>How many times the reader changed it (the audit log holds every change).</summary>
    public int Revisions { get; set; }

    public string AuditDetails => $"trial {TrialId}, question {QuestionId}" + (Side.Length > 0 ? $", {Side} image" : "");
}
