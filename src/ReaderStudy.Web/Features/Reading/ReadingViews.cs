using ReaderStudy.Core.Reading;
using ReaderStudy.Core.Reading.Blinding;

namespace ReaderStudy.Web.Features.Reading;

/// <summary>What a reader sees of a study: the form and their own trials, nothing about which image is which.</summary>
/// <param name="Quantity">What the images' values are (T2, HU, signal) and their <paramref name="Units"/>, for the annotation's readout.</param>
public sealed record ReaderSession(Guid StudyId, string StudyName, ReadingMode Mode, bool AllowChanges, IReadOnlyList<ReaderQuestion> Questions, IReadOnlyList<ReaderTrialSummary> Trials,
    string Quantity = "T2", string Units = "ms");

public sealed record ReaderQuestion(Guid Id, QuestionKind Kind, string Text, IReadOnlyList<string> Options, bool Required, bool PerImage);

/// <summary>One trial in the reader's list; <paramref name="OpensAt"/> is set while a washout keeps it closed.</summary>
public sealed record ReaderTrialSummary(Guid TrialId, int Position, bool Submitted, DateTimeOffset? OpensAt = null)
{
    public bool Available => OpensAt is null;
}

/// <summary>One case as the reader's browser gets it: two opaque image addresses and the reader's own answers.</summary>
/// <param name="Slice">The slice the reader last looked at in this case (null: not scrolled yet), so the viewer reopens there.</param>
/// <param name="ContextImage">The subject's anatomic series shown beside the pair where the study has one (see <see cref="Core.Studies.Study.ContextSeries"/>).</param>
public sealed record ReaderTrial(Guid TrialId, int Position, int Total, string LeftImage, string RightImage, IReadOnlyList<AnswerInput> Answers, bool Submitted, int? Slice = null,
    string? ContextImage = null, string? ContextTitle = null);

public sealed record AnswerInput(Guid QuestionId, string Side, string Value);

public sealed record ViewerEventInput(string Kind, string Detail);

public sealed record SubmitResult(Guid? NextTrialId, int Submitted, int Total);

/// <summary>A coordinator's view of reading progress, per reader.</summary>
public sealed record ReaderProgress(string Reader, int Submitted, int Total, double MinutesSpent);

/// <summary>A coordinator's view of reading progress, per case: how many of its readings are submitted.</summary>
public sealed record CaseProgress(int Case, string Subject, int Submitted, int Readings);

/// <summary>The key, after the study closes: which side held the real image in each trial.</summary>
public sealed record TrialKey(Guid TrialId, string Reader, int CaseNumber, string Subject, int Position, bool RealOnLeft, int Seed);

/// <summary>The reading design a coordinator sets before opening; the display range is also the presented (clip) range.</summary>
public sealed record ReadingSettingsChange(ReadingMode Mode, bool AllowAnswerChanges, double DisplayMin, double DisplayMax, int RepeatedCases = 0,
    double PresentationStep = 0.1, Core.Reading.Presentation.PresentationMask PresentationMask = Core.Reading.Presentation.PresentationMask.CommonSupport,
    string DiagnosticFinding = "", int DiagnosticSpacing = 0, int DiagnosticWashoutDays = 0, string? Colormap = null, bool OutlineSegmentation = false, string ContextSeries = "");

/// <summary>A built case as the coordinator checks it: the subject, and which series is the real and which the synthetic image.</summary>
public sealed record CasePreview(int Number, string Subject, Guid RealSeriesId, string RealDescription, Guid SyntheticSeriesId, string SyntheticDescription);

/// <summary>How many cases were built, and why each subject left out has none (or why there are none at all).</summary>
public sealed record CaseBuild(int Cases, IReadOnlyList<string> Skipped);

/// <summary>What a reference standard import did: subjects given a truth, how many positive.</summary>
public sealed record ReferenceStandardImport(int Subjects, int Positive, int Negative, int CasesWithoutTruth);

/// <summary>
/// The blinding check over what readers' browsers receive: the presentation it checked, the leak detector's
/// tests, and whether the study may open. <paramref name="Planned"/> says the trials were drawn for the check
/// only (a draft study), as opening would draw them.
/// </summary>
public sealed record BlindingReport(int TrialsChecked, int CasesChecked, bool Planned, string Presentation, IReadOnlyList<ServedCaseView> Cases, LeakReport Detector, double Seconds)
{
    public bool Passed => Detector.Passed;

    public IReadOnlyList<string> Leaks => Detector.Leaks;

    /// <summary>One line for the study record and the report.</summary>
    public string Verdict() => Passed
        ? $"passed: {TrialsChecked} trial(s) of {CasesChecked} case(s); no feature beat chance (per-test alpha {Detector.Threshold:G2}; a feature that always picks the real image is detectable from {Detector.MinimumImages} cases)"
        : $"found {Leaks.Count} leak(s) in {TrialsChecked} trial(s): {string.Join("; ", Leaks.Take(5))}";
}

/// <summary>What readers receive for one case's two maps, in words: value range, step and background share.</summary>
public sealed record ServedCaseView(int Case, string Real, string Synthetic);

/// <summary>A reader's own progress in one study: cases submitted of their trials, and minutes spent reading.</summary>
public sealed record MyProgress(int Submitted, int Total, double Minutes);
