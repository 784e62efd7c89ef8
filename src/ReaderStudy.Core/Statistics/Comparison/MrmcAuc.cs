using MathNet.Numerics.Distributions;

namespace ReaderStudy.Core.Statistics.Comparison;

/// <summary>
/// Reader-averaged AUC with random readers and random cases (Obuchowski-Rockette, with Hillis's 2007
/// degrees of freedom), tested against a null AUC (0.5: readers cannot tell real from synthetic).
/// </summary>
public sealed record MrmcResult(int Readers, int Cases, double MeanAuc, IReadOnlyList<double> ReaderAucs, double MsReader, double Cov2, double Se, double Df, double T, double P, double CiLower, double CiUpper);

public static class MrmcAuc
{
    /// <param name="scores">Per reader, per case: the score of the case's positive (real) and negative (synthetic) image.</param>
    /// <remarks>
    /// Each reader's AUC is the Mann-Whitney statistic over all positive-negative pairs. Case-level
    /// covariances come from the jackknife over cases; Var(mean AUC) = MS(reader)/r + max(Cov2, 0) and
    /// df = (MS(reader) + r·max(Cov2, 0))² / (MS(reader)²/(r−1)).
    /// </remarks>
    public static MrmcResult Analyse(IReadOnlyList<IReadOnlyList<(double Positive, double Negative)>> scores, double nullAuc = 0.5, double level = 0.95)
    {
        var r = scores.Count;
        if (r < 2)
        {
            throw new StatisticsException($"a multi-reader analysis needs at least two readers, got {r}.");
        }
        var c = scores[0].Count;
        if (c < 2 || scores.Any(s => s.Count != c))
        {
            throw new StatisticsException("every reader needs scores for the same cases, at least two of them.");
        }
        static double Auc(IReadOnlyList<(double Positive, double Negative)> s, int skip)
        {
            double sum = 0;
            var pairs = 0;
            for (var i = 0; i < s.Count; i++)
            {
                if (i == skip) continue;
                for (var k = 0; k < s.Count; k++)
                {
                    if (k == skip) continue;
                    sum += s[i].Positive > s[k].Negative ? 1 : s[i].Positive == s[k].Negative ? 0.5 : 0;
                    pairs++;
                }
            }
            return sum / pairs;
        }
        var aucs = scores.Select(s => Auc(s, -1)).ToArray();
        var jack = scores.Select(s => Enumerable.Range(0, c).Select(k => Auc(s, k)).ToArray()).ToArray();
        var jackMeans = jack.Select(j => j.Average()).ToArray();
        double Cov(int a, int b) => (c - 1.0) / c * Enumerable.Range(0, c).Sum(k => (jack[a][k] - jackMeans[a]) * (jack[b][k] - jackMeans[b]));
        var cov2 = Enumerable.Range(0, r).SelectMany(a => Enumerable.Range(0, r).Where(b => b != a).Select(b => Cov(a, b))).Average();
        var mean = aucs.Average();
        var msR = aucs.Sum(a => (a - mean) * (a - mean)) / (r - 1);
        var cov2Used = Math.Max(cov2, 0);
        var variance = msR / r + cov2Used;
        if (variance <= 0)
        {
            throw new StatisticsException("the reader-averaged AUC has no variance (every reader and case agrees perfectly); the test is undefined.");
        }
        var se = Math.Sqrt(variance);
        var df = msR == 0 ? double.PositiveInfinity : Math.Pow(msR + r * cov2Used, 2) / (msR * msR / (r - 1));
        var t = (mean - nullAuc) / se;
        var (p, q) = double.IsInfinity(df)
            ? (2 * (1 - Normal.CDF(0, 1, Math.Abs(t))), Normal.InvCDF(0, 1, 1 - (1 - level) / 2))
            : (2 * (1 - StudentT.CDF(0, 1, df, Math.Abs(t))), StudentT.InvCDF(0, 1, df, 1 - (1 - level) / 2));
        return new MrmcResult(r, c, mean, aucs, msR, cov2, se, df, t, p, mean - q * se, mean + q * se);
    }
}
