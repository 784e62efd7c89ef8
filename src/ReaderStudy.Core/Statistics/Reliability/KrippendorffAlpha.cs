namespace ReaderStudy.Core.Statistics.Reliability;

/// <summary>Krippendorff's alpha from the coincidence matrix (Krippendorff 2011), missing ratings allowed.</summary>
public static class KrippendorffAlpha
{
    public static KrippendorffAlphaResult Compute(RatingTable table, MeasurementLevel level)
    {
        var units = table.Rows.Select(r => r.Where(v => v.HasValue).Select(v => v!.Value).ToArray()).Where(u => u.Length >= 2).ToArray();
        if (units.Length == 0)
        {
            throw new StatisticsException("no unit has two or more ratings; alpha is undefined.");
        }
        var values = units.SelectMany(u => u).Distinct().Order().ToArray();
        if (values.Length < 2)
        {
            throw new StatisticsException($"every pairable rating is {values[0]}; alpha is undefined.");
        }
        if (level == MeasurementLevel.Ratio && values.Any(v => v < 0))
        {
            throw new StatisticsException("ratio-level alpha needs non-negative values.");
        }
        var index = values.Select((v, i) => (v, i)).ToDictionary(t => t.v, t => t.i);
        var v = values.Length;
        var o = new double[v, v];
        foreach (var unit in units)
        {
            for (var a = 0; a < unit.Length; a++)
            {
                for (var b = 0; b < unit.Length; b++)
                {
                    if (a != b)
                    {
                        o[index[unit[a]], index[unit[b]]] += 1.0 / (unit.Length - 1);
                    }
                }
            }
        }
        var nc = Enumerable.Range(0, v).Select(c => Enumerable.Range(0, v).Sum(k => o[c, k])).ToArray();
        var n = nc.Sum();
        double observed = 0, expected = 0;
        for (var c = 0; c < v; c++)
        {
            for (var k = 0; k < v; k++)
            {
                var delta = Delta(level, values, nc, c, k);
                observed += o[c, k] * delta;
                expected += nc[c] * nc[k] * delta;
            }
        }
        observed /= n;
        expected /= n * (n - 1);
        return new KrippendorffAlphaResult(level.ToString().ToLowerInvariant(), 1 - observed / expected, units.Length, (int)Math.Round(n));
    }

    private static double Delta(MeasurementLevel level, double[] values, double[] nc, int c, int k) => level switch
    {
        MeasurementLevel.Nominal => c == k ? 0 : 1,
        MeasurementLevel.Interval => Math.Pow(values[c] - values[k], 2),
        MeasurementLevel.Ratio => values[c] + values[k] == 0 ? 0 : Math.Pow((values[c] - values[k]) / (values[c] + values[k]), 2),
        _ => Math.Pow(nc.Skip(Math.Min(c, k)).Take(Math.Abs(c - k) + 1).Sum() - (nc[c] + nc[k]) / 2, 2),
    };
}
