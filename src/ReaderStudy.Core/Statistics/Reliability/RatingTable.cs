namespace ReaderStudy.Core.Statistics.Reliability;

/// <summary>Ratings, one row per subject and one column per rater; null is a missing rating.</summary>
public sealed class RatingTable
{
    public RatingTable(IReadOnlyList<IReadOnlyList<double?>> rows)
    {
        if (rows.Count == 0)
        {
            throw new StatisticsException("the rating table has no subjects.");
        }
        Raters = rows[0].Count;
        if (rows.Any(r => r.Count != Raters))
        {
            throw new StatisticsException("every subject needs one cell per rater.");
        }
        if (Raters < 2)
        {
            throw new StatisticsException($"at least two raters are needed, got {Raters}.");
        }
        if (rows.SelectMany(r => r).Any(v => v is { } x && !double.IsFinite(x)))
        {
            throw new StatisticsException("a rating is not a finite number.");
        }
        Rows = rows;
    }

    public IReadOnlyList<IReadOnlyList<double?>> Rows { get; }
    public int Raters { get; }

    /// <summary>The subjects every rater rated (what R's na.omit keeps), as a dense matrix.</summary>
    public double[][] CompleteRows() => [.. Rows.Where(r => r.All(v => v.HasValue)).Select(r => r.Select(v => v!.Value).ToArray())];
}
