using ReaderStudy.Core.Statistics;
using ReaderStudy.Core.Statistics.Reliability;

namespace ReaderStudy.Cli.Stats;

/// <summary>What `readerstudy stats` was asked to compute, after parsing.</summary>
internal sealed record StatsRequest(
    string Analysis,
    SubjectTable Table,
    string? X,
    string? Y,
    KappaWeights Weights,
    MeasurementLevel Level,
    Alternative Alternative,
    double P0,
    string? TruthColumn = null,
    double? Margin = null,
    string? Tested = null)
{
    /// <summary>--truth, required by the ROC analyses.</summary>
    public string Truth => TruthColumn ?? throw new StatisticsException($"{Analysis} needs --truth COLUMN (1 = positive, 0 = negative).");

    /// <summary>--x, else the second column.</summary>
    public string XColumn => X ?? ColumnAt(1, "--x");

    /// <summary>--y, else the third column.</summary>
    public string YColumn => Y ?? ColumnAt(2, "--y");

    private string ColumnAt(int index, string option) => index < Table.Columns.Count
        ? Table.Columns[index]
        : throw new StatisticsException($"{Table.Source}: has {Table.Columns.Count} column(s); name the column with {option}.");
}
