namespace ReaderStudy.Web.Features.StudyResults;

/// <summary>
/// The tidy export: one row per reader × case × question (× image for per-image questions), joined to
/// the randomization key. <see cref="ImageOrigin"/> is the origin of the image a per-image answer is about;
/// <see cref="Correct"/> is set for "which is real" answers.
/// </summary>
public sealed record AnswerRow(
    string Reader, int Case, string Subject, int Position, bool RealOnLeft, int Seed, bool IsRepeat,
    int QuestionOrder, string Question, string QuestionKind, string Side, string ImageOrigin,
    string Value, int? Correct, DateTimeOffset AnsweredAt, double SecondsOnCase);

/// <summary>Mean T2 of one cartilage region in the real and the synthetic map of a case.</summary>
public sealed record RegionalT2Row(int Case, string Subject, int Segment, string Region, int Voxels, double RealMeanMs, double SyntheticMeanMs);
