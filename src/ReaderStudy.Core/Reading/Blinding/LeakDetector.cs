using MathNet.Numerics.Distributions;

namespace ReaderStudy.Core.Reading.Blinding;

/// <summary>
/// Tests whether anything readers receive, other than the look of the anatomy, tells the real map from the
/// synthetic one. Each feature, and a cross-validated logistic regression on all numeric features, predicts
/// the real image of every trial from the other cases' trials; a one-sided sign test asks whether it is right
/// more often than chance, at alpha over the number of tests. Deterministic contract checks (values the
/// presentation pipeline can never send, a pair whose description, headers, sizes or background differ)
/// catch leaks that touch only a few trials.
/// </summary>
public static class LeakDetector
{
    public const double DefaultAlpha = 0.05;

    public static LeakReport Detect(IReadOnlyList<ServedCase> cases, IReadOnlyList<BlindingTrial> trials, bool singleImage, double alpha = DefaultAlpha)
    {
        var byNumber = cases.ToDictionary(c => c.CaseNumber);
        var read = trials.Where(t => byNumber.ContainsKey(t.CaseNumber)).ToList();
        // Every trial of a case receives the same payloads, so trials are not independent evidence: the sign test
        // counts distinct images shown (a case for pairs, a case's real or synthetic map for single images).
        var used = read.DistinctBy(t => (t.CaseNumber, singleImage && t.RealOnLeft)).ToList();
        var weight = used.Select(u => read.Count(t => t.CaseNumber == u.CaseNumber && (!singleImage || t.RealOnLeft == u.RealOnLeft))).ToList();
        var tests = ImageFeatures.NumberNames.Count + ImageFeatures.TextNames.Count + 1;
        var threshold = alpha / tests;
        var minimumUnits = (int)Math.Ceiling(Math.Log(threshold) / Math.Log(0.5) + 1e-9);
        FeatureTest Test(string name, IReadOnlyList<bool?> outcomes) => LeakDetector.Test(name, read.Count, weight, outcomes, threshold);

        var features = new List<FeatureTest>();
        foreach (var name in ImageFeatures.NumberNames)
        {
            var outcomes = singleImage
                ? SingleNumeric(used, t => Shown(byNumber, t).Numbers[name])
                : PairedSigns(used, c => Math.Sign(byNumber[c].Real.Numbers[name] - byNumber[c].Synthetic.Numbers[name]));
            features.Add(Test(name, outcomes));
        }
        foreach (var name in ImageFeatures.TextNames)
        {
            features.Add(Test(name, Categorical(used, byNumber, name, singleImage)));
        }
        var classifier = Test("all features (cross-validated logistic regression)", Classifier(used, byNumber, singleImage));
        return new LeakReport(read.Count, used.Count, alpha, threshold, minimumUnits, features, classifier, Violations(cases));
    }

    private static ImageFeatures Shown(Dictionary<int, ServedCase> cases, BlindingTrial t) => t.RealOnLeft ? cases[t.CaseNumber].Real : cases[t.CaseNumber].Synthetic;

    /// <summary>Per image shown: null for a tie, else whether the prediction was right; each image's trials share its outcome.</summary>
    private static FeatureTest Test(string name, int trials, IReadOnlyList<int> weight, IReadOnlyList<bool?> outcomes, double threshold)
    {
        var decided = outcomes.Count(o => o is not null);
        var correct = outcomes.Count(o => o == true);
        var p = decided == 0 ? 1 : 1 - Binomial.CDF(0.5, decided, correct - 1);
        var right = outcomes.Select((o, i) => o switch { true => weight[i], null => 0.5 * weight[i], false => 0.0 }).Sum();
        var accuracy = trials == 0 ? 0.5 : right / trials;
        return new FeatureTest(name, trials, outcomes.Count, decided, correct, Math.Round(accuracy, 4), p, p < threshold);
    }

    /// <summary>
    /// Paired reading: a feature picks the side where it is larger (or smaller, as the other cases' trials
    /// taught); <paramref name="realMinusSynthetic"/> gives the sign of real minus synthetic for a case.
    /// </summary>
    private static List<bool?> PairedSigns(List<BlindingTrial> trials, Func<int, int> realMinusSynthetic)
    {
        var sign = trials.Select(t => t.CaseNumber).Distinct().ToDictionary(c => c, realMinusSynthetic);
        var count = trials.GroupBy(t => t.CaseNumber).ToDictionary(g => g.Key, g => g.Count());
        var (larger, smaller) = (trials.Count(t => sign[t.CaseNumber] > 0), trials.Count(t => sign[t.CaseNumber] < 0));
        return [.. trials.Select(t =>
        {
            var s = sign[t.CaseNumber];
            var (l, m) = (larger - (s > 0 ? count[t.CaseNumber] : 0), smaller - (s < 0 ? count[t.CaseNumber] : 0));
            return s == 0 || l == m ? (bool?)null : s == (l > m ? 1 : -1);
        })];
    }

    /// <summary>Single-image reading: a threshold halfway between the other cases' real and synthetic means.</summary>
    private static List<bool?> SingleNumeric(List<BlindingTrial> trials, Func<BlindingTrial, double> value)
    {
        var x = trials.Select(value).ToArray();
        return [.. trials.Select((t, i) =>
        {
            var training = Enumerable.Range(0, trials.Count).Where(j => trials[j].CaseNumber != t.CaseNumber).ToList();
            var real = training.Where(j => trials[j].RealOnLeft).Select(j => x[j]).ToList();
            var synthetic = training.Where(j => !trials[j].RealOnLeft).Select(j => x[j]).ToList();
            if (real.Count == 0 || synthetic.Count == 0 || real.Average() == synthetic.Average())
            {
                return (bool?)null;
            }
            var cut = (real.Average() + synthetic.Average()) / 2;
            return x[i] == cut ? null : (x[i] > cut) == (real.Average() > synthetic.Average()) == t.RealOnLeft;
        })];
    }

    /// <summary>A text feature picks the image whose text the other cases' trials showed more often on the real side.</summary>
    private static List<bool?> Categorical(List<BlindingTrial> trials, Dictionary<int, ServedCase> cases, string name, bool singleImage)
    {
        // Each trial votes +1 for the text it shows on the real side, -1 for the synthetic side's.
        IEnumerable<(string Text, int Vote)> Votes(BlindingTrial t) => singleImage
            ? [(Shown(cases, t).Texts[name], t.RealOnLeft ? 1 : -1)]
            : [(cases[t.CaseNumber].Real.Texts[name], 1), (cases[t.CaseNumber].Synthetic.Texts[name], -1)];
        var score = new Dictionary<string, int>();
        var perCase = new Dictionary<int, Dictionary<string, int>>();
        foreach (var t in trials)
        {
            var own = perCase.TryGetValue(t.CaseNumber, out var o) ? o : perCase[t.CaseNumber] = [];
            foreach (var (text, vote) in Votes(t))
            {
                score[text] = score.GetValueOrDefault(text) + vote;
                own[text] = own.GetValueOrDefault(text) + vote;
            }
        }
        int Score(BlindingTrial t, string text) => score.GetValueOrDefault(text) - perCase[t.CaseNumber].GetValueOrDefault(text);
        return [.. trials.Select(t =>
        {
            if (singleImage)
            {
                var s = Score(t, Shown(cases, t).Texts[name]);
                return s == 0 ? (bool?)null : s > 0 == t.RealOnLeft;
            }
            var (real, synthetic) = (cases[t.CaseNumber].Real.Texts[name], cases[t.CaseNumber].Synthetic.Texts[name]);
            var (r, y) = (Score(t, real), Score(t, synthetic));
            return real == synthetic || r == y ? null : r > y;
        })];
    }

    private static List<bool?> Classifier(List<BlindingTrial> trials, Dictionary<int, ServedCase> cases, bool singleImage)
    {
        double[] Row(BlindingTrial t) => singleImage
            ? [.. ImageFeatures.NumberNames.Select(n => Shown(cases, t).Numbers[n])]
            : [.. ImageFeatures.NumberNames.Select(n => (t.RealOnLeft ? 1 : -1) * (cases[t.CaseNumber].Real.Numbers[n] - cases[t.CaseNumber].Synthetic.Numbers[n]))];
        var x = trials.Select(Row).ToArray();
        var y = trials.Select(t => t.RealOnLeft).ToArray();
        var caseNumbers = trials.Select(t => t.CaseNumber).Distinct().Order().ToList();
        var folds = Math.Min(5, caseNumbers.Count);
        var outcomes = new bool?[trials.Count];
        if (folds < 2)
        {
            return [.. outcomes];
        }
        var fold = caseNumbers.Select((c, i) => (c, i % folds)).ToDictionary(p => p.c, p => p.Item2);
        for (var f = 0; f < folds; f++)
        {
            var train = Enumerable.Range(0, trials.Count).Where(i => fold[trials[i].CaseNumber] != f).ToList();
            var model = LogisticModel.Fit([.. train.Select(i => x[i])], [.. train.Select(i => y[i])], intercept: singleImage);
            foreach (var i in Enumerable.Range(0, trials.Count).Where(i => fold[trials[i].CaseNumber] == f))
            {
                var p = model.Probability(x[i]);
                outcomes[i] = p == 0.5 ? null : p > 0.5 == y[i];
            }
        }
        return [.. outcomes];
    }

    private static List<string> Violations(IReadOnlyList<ServedCase> cases)
    {
        var found = new List<string>();
        foreach (var c in cases.OrderBy(c => c.CaseNumber))
        {
            found.AddRange(c.Real.Violations.Select(v => $"case {c.CaseNumber}, real map: {v}"));
            found.AddRange(c.Synthetic.Violations.Select(v => $"case {c.CaseNumber}, synthetic map: {v}"));
            foreach (var name in ImageFeatures.TextNames.Where(n => c.Real.Texts[n] != c.Synthetic.Texts[n]))
            {
                found.Add($"case {c.CaseNumber}: the {name} differ between the two maps");
            }
            if (c.Real.ZeroPattern != c.Synthetic.ZeroPattern)
            {
                found.Add($"case {c.CaseNumber}: background (0) voxels differ between the two maps");
            }
            foreach (var name in new[] { "payload bytes", "slices served" }.Where(n => c.Real.Numbers[n] != c.Synthetic.Numbers[n]))
            {
                found.Add($"case {c.CaseNumber}: {name} differ (real {c.Real.Numbers[name]}, synthetic {c.Synthetic.Numbers[name]})");
            }
        }
        return found;
    }
}
