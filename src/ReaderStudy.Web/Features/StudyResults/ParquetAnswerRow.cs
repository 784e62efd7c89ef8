namespace ReaderStudy.Web.Features.StudyResults;

/// <summary><see cref="AnswerRow"/> as Parquet columns (Parquet.Net takes settable properties and UTC DateTime).</summary>
public sealed class ParquetAnswerRow
{
    public string Reader { get; set; } = "";
    public int Case { get; set; }
    public string Subject { get; set; } = "";
    public int Position { get; set; }
    public bool RealOnLeft { get; set; }
    public int Seed { get; set; }
    public bool IsRepeat { get; set; }
    public int QuestionOrder { get; set; }
    public string Question { get; set; } = "";
    public string QuestionKind { get; set; } = "";
    public string Side { get; set; } = "";
    public string ImageOrigin { get; set; } = "";
    public string Value { get; set; } = "";
    public int? Correct { get; set; }
    public DateTime AnsweredAt { get; set; }
    public double SecondsOnCase { get; set; }

    public static ParquetAnswerRow From(AnswerRow r) => new()
    {
        Reader = r.Reader, Case = r.Case, Subject = r.Subject, Position = r.Position, RealOnLeft = r.RealOnLeft, Seed = r.Seed, IsRepeat = r.IsRepeat,
        QuestionOrder = r.QuestionOrder, Question = r.Question, QuestionKind = r.QuestionKind, Side = r.Side, ImageOrigin = r.ImageOrigin,
        Value = r.Value, Correct = r.Correct, AnsweredAt = r.AnsweredAt.UtcDateTime, SecondsOnCase = r.SecondsOnCase,
    };
}
