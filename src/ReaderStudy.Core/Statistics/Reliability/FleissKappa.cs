namespace ReaderStudy.Core.Statistics.Reliability;

public static class FleissKappa
{
    /// <summary>Subjects with a missing rating are left out, as irr does.</summary>
    public static FleissKappaResult Compute(RatingTable table)
    {
        var x = table.CompleteRows();
        var ns = x.Length;
        var nr = table.Raters;
        if (ns < 2)
        {
            throw new StatisticsException($"at least two subjects rated by every rater are needed, got {ns}.");
        }
        var categories = x.SelectMany(r => r).Distinct().Order().ToArray();
        if (categories.Length < 2)
        {
            throw new StatisticsException($"every rating is {categories[0]}; Fleiss' kappa is undefined.");
        }
        var counts = x.Select(r => categories.Select(c => r.Count(v => v == c)).ToArray()).ToArray();
        var pj = categories.Select((_, j) => counts.Sum(r => r[j]) / (double)(ns * nr)).ToArray();
        var pBar = counts.Average(r => (r.Sum(c => (double)c * c) - nr) / (nr * (nr - 1.0)));
        var pe = pj.Sum(p => p * p);
        var kappa = (pBar - pe) / (1 - pe);
        var q = pj.Sum(p => p * (1 - p));
        var se = Math.Sqrt(2) / (q * Math.Sqrt(ns * nr * (nr - 1.0))) * Math.Sqrt(q * q - pj.Sum(p => p * (1 - p) * (1 - 2 * p)));
        var z = kappa / se;
        return new FleissKappaResult(kappa, se, z, PValue.Normal(z, Alternative.TwoSided), ns, nr);
    }
}
