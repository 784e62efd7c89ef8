using System.CommandLine;
using ReaderStudy.Core.Statistics;
using ReaderStudy.Core.Statistics.Reliability;

namespace ReaderStudy.Cli.Stats;

/// <summary>`readerstudy stats ANALYSIS --csv FILE …`: one statistic over a one-row-per-subject CSV, as JSON.</summary>
internal static class StatsCommand
{
    public static Command Create()
    {
        var analysis = new Argument<string>("analysis")
        {
            Description = "One of: " + string.Join(", ", StatsAnalyses.All.Keys),
        };
        analysis.AcceptOnlyFromAmong([.. StatsAnalyses.All.Keys]);
        var csv = new Option<FileInfo>("--csv") { Description = "CSV with a header and one row per subject; for icc, fleiss-kappa and krippendorff-alpha every column but the first is a rater (empty cell = missing); for mrmc one row per reading with columns reader,modality,case,truth,rating.", Required = true };
        var x = new Option<string?>("--x") { Description = "Column of x (default: the second column). For binomial, a 0/1 column." };
        var y = new Option<string?>("--y") { Description = "Column of y (default: the third column). Differences are x minus y." };
        var weights = new Option<string>("--weights") { Description = "cohen-kappa weights", DefaultValueFactory = _ => "none" };
        weights.AcceptOnlyFromAmong("none", "linear", "quadratic");
        var level = new Option<string>("--level") { Description = "krippendorff-alpha measurement level", DefaultValueFactory = _ => "nominal" };
        level.AcceptOnlyFromAmong("nominal", "ordinal", "interval", "ratio");
        var alternative = new Option<string>("--alternative") { Description = "alternative hypothesis", DefaultValueFactory = _ => "two-sided" };
        alternative.AcceptOnlyFromAmong("two-sided", "greater", "less");
        var p0 = new Option<double>("--p0") { Description = "binomial null proportion", DefaultValueFactory = _ => 0.5 };
        var truth = new Option<string?>("--truth") { Description = "roc, roc-test: the 0/1 truth column (1 = positive; higher scores mean positive)." };
        var margin = new Option<double?>("--margin") { Description = "mrmc: non-inferiority margin in AUC units (e.g. 0.05): is the tested modality's AUC at most this much lower?" };
        var tested = new Option<string?>("--tested") { Description = "mrmc: the modality whose non-inferiority --margin tests (default: the second in sorted order)." };

        var command = new Command("stats", "Compute one statistic from a CSV and print it as JSON (agreement, reliability, paired tests).")
        {
            analysis, csv, x, y, weights, level, alternative, p0, truth, margin, tested,
        };
        command.SetAction(result =>
        {
            try
            {
                var request = new StatsRequest(
                    result.GetValue(analysis)!,
                    SubjectTable.Read(result.GetValue(csv)!.FullName),
                    result.GetValue(x),
                    result.GetValue(y),
                    Enum.Parse<KappaWeights>(result.GetValue(weights)!, ignoreCase: true),
                    Enum.Parse<MeasurementLevel>(result.GetValue(level)!, ignoreCase: true),
                    result.GetValue(alternative) switch { "greater" => Alternative.Greater, "less" => Alternative.Less, _ => Alternative.TwoSided },
                    result.GetValue(p0),
                    result.GetValue(truth),
                    result.GetValue(margin),
                    result.GetValue(tested));
                var output = StatsAnalyses.All[request.Analysis](request);
                result.InvocationConfiguration.Output.WriteLine(StatsJson.Write(output));
                return 0;
            }
            catch (StatisticsException e)
            {
                result.InvocationConfiguration.Error.WriteLine($"readerstudy stats: {e.Message}");
                return 2;
            }
        });
        return command;
    }
}
