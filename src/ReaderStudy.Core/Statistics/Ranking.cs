namespace ReaderStudy.Core.Statistics;

/// <summary>Ranks with ties given their average rank (R's rank(ties.method = "average")).</summary>
public static class Ranking
{
    public static double[] AverageRanks(IReadOnlyList<double> values)
    {
        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Count];
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && values[order[end + 1]] == values[order[start]])
            {
                end++;
            }
            var rank = (start + end) / 2.0 + 1;
            for (var i = start; i <= end; i++)
            {
                ranks[order[i]] = rank;
            }
            start = end + 1;
        }
        return ranks;
    }

    /// <summary>Sizes of the groups of tied values (only groups of two or more).</summary>
    public static IEnumerable<int> TieGroups(IEnumerable<double> values) =>
        values.GroupBy(v => v).Select(g => g.Count()).Where(c => c > 1);
}
