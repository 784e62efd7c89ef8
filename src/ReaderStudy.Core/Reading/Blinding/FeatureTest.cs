namespace ReaderStudy.Core.Reading.Blinding;

/// <summary>
/// Does this feature pick the real image better than chance? Predictions are cross-validated by case (a case's
/// own trials never teach the rule applied to them). The sign test counts distinct images shown
/// (<paramref name="Images"/>: cases in paired reading), since every trial of a case receives the same payloads;
/// ties make no prediction and are left out of it.
/// </summary>
/// <param name="Accuracy">Correct predictions over all <paramref name="Trials"/>, a tie counting as half right.</param>
/// <param name="P">One-sided exact binomial p of at least <paramref name="Correct"/> right of <paramref name="Decided"/> by chance.</param>
public sealed record FeatureTest(string Feature, int Trials, int Images, int Decided, int Correct, double Accuracy, double P, bool Leak);
