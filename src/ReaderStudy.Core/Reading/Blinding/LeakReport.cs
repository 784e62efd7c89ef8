namespace ReaderStudy.Core.Reading.Blinding;

/// <summary>
/// The leak detector's verdict: contract violations (what the presentation pipeline can never send), and for each
/// feature and for a classifier on all of them, whether it picks the real image better than chance.
/// </summary>
/// <param name="Threshold">The per-test significance level: alpha over the number of tests (Bonferroni).</param>
/// <param name="Images">The distinct images tested: cases in paired reading, real and synthetic maps of cases in single-image reading.</param>
/// <param name="MinimumImages">The fewest images on which a feature that always picks the real one reaches <paramref name="Threshold"/>.</param>
public sealed record LeakReport(int Trials, int Images, double Alpha, double Threshold, int MinimumImages,
    IReadOnlyList<FeatureTest> Features, FeatureTest Classifier, IReadOnlyList<string> Violations)
{
    /// <summary>The names of what leaks: each violated contract and each feature that beats chance.</summary>
    public IReadOnlyList<string> Leaks =>
        [.. Violations, .. Features.Append(Classifier).Where(f => f.Leak).Select(f => $"{f.Feature} picks the real image in {f.Correct} of {f.Decided} images tested ({f.Trials} trials; p = {f.P:G3})")];

    public bool Passed => Leaks.Count == 0;
}
