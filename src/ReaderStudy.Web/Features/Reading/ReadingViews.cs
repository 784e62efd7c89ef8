using ReaderStudy.Core.Reading;

namespace ReaderStudy.Web.Features.Reading;

/// <summary>What a reader sees of a study: the form and their own trials, nothing about which image is which.</summary>
public sealed record ReaderSession(Guid StudyId, string StudyName, ReadingMode Mode, bool AllowChanges, IReadOnlyList<ReaderQuestion> Questions, IReadOnlyList<ReaderTrialSummary> Trials);

public sealed record ReaderQuestion(Guid Id, QuestionKind Kind, string Text, IReadOnlyList<string> Options, bool Required, bool PerImage);

public sealed record ReaderTrialSummary(Guid TrialId, int Position, bool Submitted);

/// <summary>One case as the reader's browser gets it: two opaque image addresses and the reader's own answers.</summary>
public sealed record ReaderTrial(Guid TrialId, int Position, int Total, string LeftImage, string RightImage, IReadOnlyList<AnswerInput> Answers, bool Submitted);

public sealed record AnswerInput(Guid QuestionId, string Side, string Value);

public sealed record ViewerEventInput(string Kind, string Detail);

public sealed record SubmitResult(Guid? NextTrialId, int Submitted, int Total);

/// <summary>A coordinator's view of reading progress, per reader.</summary>
public sealed record ReaderProgress(string Reader, int Submitted, int Total, double MinutesSpent);

/// <summary>A coordinator's view of reading progress, per case: how many of its readings are submitted.</summary>
public sealed record CaseProgress(int Case, string Subject, int Submitted, int Readings);

/// <summary>The key, after the study closes: which side held the real image in each trial.</summary>
public sealed record TrialKey(Guid TrialId, string Reader, int CaseNumber, string Subject, int Position, bool RealOnLeft, int Seed);

public sealed record ReadingSettingsChange(ReadingMode Mode, bool AllowAnswerChanges, double DisplayMin, double DisplayMax, int RepeatedCases = 0);

public sealed record BlindingFinding(int CaseNumber, string Reader, int Position, string Difference);

public sealed record BlindingReport(int TrialsChecked, IReadOnlyList<BlindingFinding> Findings)
{
    public bool Passed => Findings.Count == 0;
}
