namespace ReaderStudy.Core.Statistics.Comparison;

/// <summary>One reader's confidence rating of one case in one modality (higher means "finding present").</summary>
public sealed record MrmcReading(string Reader, string Modality, string Case, bool Truth, double Rating);

/// <summary>
/// A fully crossed multi-reader multi-case table: every reader rated every case in every modality. Readers and
/// modalities are in sorted (ordinal) order, so "first minus second" does not depend on the rows' order.
/// </summary>
public sealed class MrmcReadings
{
    private MrmcReadings(IReadOnlyList<string> modalities, IReadOnlyList<string> readers, IReadOnlyList<string> cases, bool[] truth, double[,,] ratings)
    {
        Modalities = modalities;
        Readers = readers;
        Cases = cases;
        Truth = truth;
        this.ratings = ratings;
    }

    private readonly double[,,] ratings;

    public IReadOnlyList<string> Modalities { get; }
    public IReadOnlyList<string> Readers { get; }
    public IReadOnlyList<string> Cases { get; }
    public IReadOnlyList<bool> Truth { get; }

    public double Rating(int modality, int reader, int @case) => ratings[modality, reader, @case];

    /// <summary>The long table RJafroc and iMRMC users export: columns reader, modality, case, truth (0/1), rating.</summary>
    public static IReadOnlyList<MrmcReading> Rows(SubjectTable table)
    {
        var (readers, modalities, cases, truth, ratings) = (table.Labels("reader"), table.Labels("modality"), table.Labels("case"), table.Truth("truth"), table.Numbers("rating"));
        return [.. Enumerable.Range(0, table.RowCount).Select(i => new MrmcReading(readers[i], modalities[i], cases[i], truth[i], ratings[i]))];
    }

    public static MrmcReadings From(IEnumerable<MrmcReading> readings)
    {
        var all = readings.ToList();
        var modalities = all.Select(r => r.Modality).Distinct().Order(StringComparer.Ordinal).ToList();
        var readers = all.Select(r => r.Reader).Distinct().Order(StringComparer.Ordinal).ToList();
        var cases = all.Select(r => r.Case).Distinct().Order(StringComparer.Ordinal).ToList();
        if (modalities.Count != 2)
        {
            throw new StatisticsException($"the comparison needs exactly two modalities; found {modalities.Count} ({string.Join(", ", modalities)}).");
        }
        if (readers.Count < 2)
        {
            throw new StatisticsException($"a multi-reader analysis needs at least two readers; found {readers.Count}.");
        }
        var caseIndex = cases.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
        var truth = new bool?[cases.Count];
        foreach (var reading in all)
        {
            var i = caseIndex[reading.Case];
            if (truth[i] is { } known && known != reading.Truth)
            {
                throw new StatisticsException($"case '{reading.Case}' has truth 1 in some rows and 0 in others.");
            }
            truth[i] = reading.Truth;
        }
        var ratings = new double[modalities.Count, readers.Count, cases.Count];
        var seen = new bool[modalities.Count, readers.Count, cases.Count];
        foreach (var reading in all)
        {
            int t = modalities.IndexOf(reading.Modality), r = readers.IndexOf(reading.Reader), c = caseIndex[reading.Case];
            if (seen[t, r, c])
            {
                throw new StatisticsException($"reader '{reading.Reader}' rated case '{reading.Case}' in modality '{reading.Modality}' more than once.");
            }
            if (!double.IsFinite(reading.Rating))
            {
                throw new StatisticsException($"reader '{reading.Reader}', case '{reading.Case}', modality '{reading.Modality}': the rating is not a number.");
            }
            seen[t, r, c] = true;
            ratings[t, r, c] = reading.Rating;
        }
        for (var t = 0; t < modalities.Count; t++)
        {
            for (var r = 0; r < readers.Count; r++)
            {
                var missing = Enumerable.Range(0, cases.Count).Where(c => !seen[t, r, c]).ToList();
                if (missing.Count > 0)
                {
                    throw new StatisticsException($"the design is not fully crossed: reader '{readers[r]}' has no rating in modality '{modalities[t]}' for {missing.Count} case(s), e.g. '{cases[missing[0]]}'.");
                }
            }
        }
        var positives = truth.Count(v => v == true);
        if (positives < 2 || cases.Count - positives < 2)
        {
            throw new StatisticsException($"the analysis needs at least two positive and two negative cases; found {positives} and {cases.Count - positives}.");
        }
        return new MrmcReadings(modalities, readers, cases, [.. truth.Select(v => v!.Value)], ratings);
    }
}

/// <summary>How the error covariances of the readers' AUCs are estimated.</summary>
public enum MrmcCovariance
{
    Jackknife,
    DeLong,
}
