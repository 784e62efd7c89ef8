using ReaderStudy.Core.Statistics;
using ReaderStudy.Core.Statistics.Agreement;
using ReaderStudy.Core.Statistics.Comparison;
using ReaderStudy.Core.Statistics.Reliability;

namespace ReaderStudy.Cli.Stats;

/// <summary>Each analysis of `readerstudy stats` and the JSON keys it prints (documented in the issue and --help).</summary>
internal static class StatsAnalyses
{
    public static readonly IReadOnlyDictionary<string, Func<StatsRequest, object>> All = new Dictionary<string, Func<StatsRequest, object>>
    {
        ["pearson"] = r => Correlation(Core.Statistics.Agreement.Correlation.Pearson(X(r), Y(r), alternative: r.Alternative)),
        ["spearman"] = r => Correlation(Core.Statistics.Agreement.Correlation.Spearman(X(r), Y(r), alternative: r.Alternative)),
        ["ccc"] = r =>
        {
            var c = Concordance.Lin(X(r), Y(r));
            return new Dictionary<string, object?> { ["ccc"] = c.Ccc, ["ci_lower"] = Finite(c.CiLower), ["ci_upper"] = Finite(c.CiUpper), ["n"] = c.N };
        },
        ["bland-altman"] = r =>
        {
            var b = BlandAltman.Analyse(X(r), Y(r));
            return new Dictionary<string, object?> { ["bias"] = b.Bias, ["sd"] = b.Sd, ["loa_lower"] = b.LoaLower, ["loa_upper"] = b.LoaUpper, ["n"] = b.N };
        },
        ["icc"] = r => new Dictionary<string, object?>
        {
            ["icc"] = IntraclassCorrelation.All(r.Table.Ratings()).Select(i => new Dictionary<string, object?>
            {
                ["type"] = i.Type, ["value"] = i.Value, ["f"] = i.F, ["df1"] = i.Df1, ["df2"] = i.Df2, ["p"] = i.P,
                ["ci_lower"] = Finite(i.CiLower), ["ci_upper"] = Finite(i.CiUpper),
            }).ToList(),
        },
        ["cohen-kappa"] = r =>
        {
            var k = CohenKappa.Compute(X(r), Y(r), r.Weights);
            return new Dictionary<string, object?>
            {
                ["kappa"] = k.Kappa, ["se"] = k.Se, ["ci_lower"] = k.CiLower, ["ci_upper"] = k.CiUpper, ["se0"] = k.Se0, ["z"] = k.Z, ["p"] = k.P,
            };
        },
        ["fleiss-kappa"] = r =>
        {
            var k = FleissKappa.Compute(r.Table.Ratings());
            return new Dictionary<string, object?> { ["kappa"] = k.Kappa, ["se"] = k.Se, ["z"] = k.Z, ["p"] = k.P };
        },
        ["krippendorff-alpha"] = r =>
        {
            var a = KrippendorffAlpha.Compute(r.Table.Ratings(), r.Level);
            return new Dictionary<string, object?> { ["alpha"] = a.Alpha, ["n"] = a.N };
        },
        ["wilcoxon"] = r =>
        {
            var w = WilcoxonSignedRank.Test(X(r), Y(r), r.Alternative);
            return new Dictionary<string, object?> { ["statistic"] = w.V, ["p"] = w.P, ["n"] = w.N };
        },
        ["paired-t"] = r =>
        {
            var t = PairedTTest.Test(X(r), Y(r), r.Alternative);
            return new Dictionary<string, object?>
            {
                ["t"] = t.T, ["df"] = t.Df, ["p"] = t.P, ["mean_difference"] = t.MeanDifference, ["ci_lower"] = Finite(t.CiLower), ["ci_upper"] = Finite(t.CiUpper),
            };
        },
        ["binomial"] = r =>
        {
            var outcomes = X(r);
            if (outcomes.Any(v => v is not (0 or 1)))
            {
                throw new StatisticsException($"{r.Table.Source}, column '{r.XColumn}': binomial needs 0/1 outcomes, found {outcomes.First(v => v is not (0 or 1))}.");
            }
            var b = BinomialTest.Test((int)outcomes.Sum(), outcomes.Length, r.P0, r.Alternative);
            return new Dictionary<string, object?> { ["successes"] = b.Successes, ["n"] = b.N, ["p"] = b.P, ["ci_lower"] = b.CiLower, ["ci_upper"] = b.CiUpper };
        },
        ["roc"] = r =>
        {
            var truth = r.Table.Truth(r.Truth);
            var scores = X(r);
            if (truth.All(t => t) || truth.All(t => !t))
            {
                throw new StatisticsException($"{r.Table.Source}, column '{r.Truth}': an ROC curve needs cases with truth 1 and with truth 0.");
            }
            var roc = RocAnalysis.Analyse([.. scores.Where((_, i) => truth[i])], [.. scores.Where((_, i) => !truth[i])]);
            return new Dictionary<string, object?>
            {
                ["auc"] = roc.Auc, ["se"] = roc.Se, ["ci_lower"] = roc.CiLower, ["ci_upper"] = roc.CiUpper, ["n_positive"] = roc.Positives, ["n_negative"] = roc.Negatives,
            };
        },
        ["roc-test"] = r =>
        {
            var d = PairedRoc.DeLong(r.Table.Truth(r.Truth), X(r), Y(r));
            return new Dictionary<string, object?>
            {
                ["difference"] = d.Difference, ["z"] = d.Z, ["p"] = d.P, ["ci_lower"] = d.CiLower, ["ci_upper"] = d.CiUpper,
                ["auc_x"] = d.AucX, ["auc_y"] = d.AucY, ["n_positive"] = d.Positives, ["n_negative"] = d.Negatives,
            };
        },
        ["mrmc"] = Mrmc,
    };

    /// <summary>Random readers and random cases, Obuchowski-Rockette with Hillis's df, on a long reader,modality,case,truth,rating table.</summary>
    private static Dictionary<string, object?> Mrmc(StatsRequest r)
    {
        var comparison = ObuchowskiRockette.Compare(MrmcReadings.From(MrmcReadings.Rows(r.Table)));
        var d = comparison.RandomReadersRandomCases;
        var output = new Dictionary<string, object?>
        {
            ["difference"] = d.Difference, ["se"] = d.Se, ["f"] = d.Statistic, ["df1"] = d.Df1, ["df2"] = Finite(d.Df2), ["p"] = d.P,
            ["ci_lower"] = d.CiLower, ["ci_upper"] = d.CiUpper,
            ["modalities"] = comparison.ModalitiesRandomReadersRandomCases.Select(m => new Dictionary<string, object?>
            {
                ["modality"] = m.Modality, ["auc"] = m.Auc, ["se"] = m.Se, ["df"] = Finite(m.Df), ["ci_lower"] = m.CiLower, ["ci_upper"] = m.CiUpper,
            }).ToList(),
            ["readers"] = comparison.ReaderAucs.Select(a => new Dictionary<string, object?>
            {
                ["reader"] = a.Reader, ["modality"] = a.Modality, ["auc"] = a.Auc, ["se"] = a.Se, ["ci_lower"] = a.CiLower, ["ci_upper"] = a.CiUpper,
            }).ToList(),
            ["n_positive"] = comparison.Positives, ["n_negative"] = comparison.Negatives,
        };
        if (r.Margin is { } margin)
        {
            var test = comparison.NonInferiorityOf(r.Tested ?? comparison.Modalities[1], margin);
            output["tested"] = test.Tested;
            output["margin"] = test.Margin;
            output["noninferior"] = test.NonInferior;
            output["p_noninferiority"] = test.P;
        }
        return output;
    }

    private static double[] X(StatsRequest r) => r.Table.Numbers(r.XColumn);

    private static double[] Y(StatsRequest r) => r.Table.Numbers(r.YColumn);

    private static Dictionary<string, object?> Correlation(CorrelationResult c) => new()
    {
        ["r"] = c.R, ["ci_lower"] = Finite(c.CiLower), ["ci_upper"] = Finite(c.CiUpper), ["p"] = c.P, ["n"] = c.N,
    };

    // JSON has no NaN or infinity: an undefined bound (too few subjects, a one-sided interval) is null.
    private static double? Finite(double value) => double.IsFinite(value) ? value : null;
}
