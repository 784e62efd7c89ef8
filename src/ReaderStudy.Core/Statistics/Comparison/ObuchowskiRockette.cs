using MathNet.Numerics.Distributions;

namespace ReaderStudy.Core.Statistics.Comparison;

/// <summary>
/// The multi-reader multi-case ROC comparison of two modalities by Obuchowski and Rockette (1995) with Hillis's
/// denominator degrees of freedom (Hillis 2007, 2008), covariances by the jackknife over cases: the analysis of
/// RJafroc (method "OR") and of the Iowa OR-DBM MRMC program, whose printed output on Van Dyke et al.'s data the
/// tests reproduce.
/// </summary>
public static class ObuchowskiRockette
{
    /// <param name="covariance">How the AUCs' error covariances are estimated: the jackknife over cases (RJafroc's and OR-DBM MRMC's default) or DeLong's method (MRMCaov's cov = DeLong).</param>
    public static MrmcComparison Compare(MrmcReadings readings, double level = 0.95, MrmcCovariance covariance = MrmcCovariance.Jackknife)
    {
        Require.Level(level);
        int t = readings.Modalities.Count, r = readings.Readers.Count, c = readings.Cases.Count;
        var positives = Enumerable.Range(0, c).Where(k => readings.Truth[k]).ToArray();
        var negatives = Enumerable.Range(0, c).Where(k => !readings.Truth[k]).ToArray();
        int m = positives.Length, n = negatives.Length;

        // Per modality and reader: the AUC, DeLong's components, and the AUC with each case left out.
        var auc = new double[t, r];
        var jackknife = new double[t * r][];
        var components = new StructuralComponents[t * r];
        var readerAucs = new List<ReaderAuc>();
        var z = PValue.NormalQuantile(level);
        for (var i = 0; i < t; i++)
        {
            for (var j = 0; j < r; j++)
            {
                var pos = positives.Select(k => readings.Rating(i, j, k)).ToArray();
                var neg = negatives.Select(k => readings.Rating(i, j, k)).ToArray();
                var parts = StructuralComponents.Of(pos, neg);
                auc[i, j] = parts.Auc;
                var left = new double[c];
                for (var p = 0; p < m; p++)
                {
                    left[positives[p]] = (m * parts.Auc - parts.V10[p]) / (m - 1);
                }
                for (var q = 0; q < n; q++)
                {
                    left[negatives[q]] = (n * parts.Auc - parts.V01[q]) / (n - 1);
                }
                jackknife[i * r + j] = left;
                components[i * r + j] = parts;
                var se = Math.Sqrt(PairedRoc.Covariance(parts.V10, parts.V10) / m + PairedRoc.Covariance(parts.V01, parts.V01) / n);
                readerAucs.Add(new ReaderAuc(readings.Readers[j], readings.Modalities[i], parts.Auc, se,
                    Math.Max(0, parts.Auc - z * se), Math.Min(1, parts.Auc + z * se), RocAnalysis.Curve(pos, neg)));
            }
        }

        var cov = covariance == MrmcCovariance.DeLong ? DeLongCovariance(components, m, n) : JackknifeCovariance(jackknife, c);
        double Cov(int i, int j, int i2, int j2) => cov[i * r + j, i2 * r + j2];
        double Mean(IEnumerable<double> values) => values.DefaultIfEmpty(0).Average();
        var pairs = (from i in Enumerable.Range(0, t) from j in Enumerable.Range(0, r) from i2 in Enumerable.Range(0, t) from j2 in Enumerable.Range(0, r) select (i, j, i2, j2)).ToList();
        var variance = Mean(pairs.Where(p => p.i == p.i2 && p.j == p.j2).Select(p => Cov(p.i, p.j, p.i2, p.j2)));
        var cov1 = Mean(pairs.Where(p => p.i != p.i2 && p.j == p.j2).Select(p => Cov(p.i, p.j, p.i2, p.j2)));
        var cov2 = Mean(pairs.Where(p => p.i == p.i2 && p.j != p.j2).Select(p => Cov(p.i, p.j, p.i2, p.j2)));
        var cov3 = Mean(pairs.Where(p => p.i != p.i2 && p.j != p.j2).Select(p => Cov(p.i, p.j, p.i2, p.j2)));

        var modalityMeans = Enumerable.Range(0, t).Select(i => Enumerable.Range(0, r).Average(j => auc[i, j])).ToArray();
        var readerMeans = Enumerable.Range(0, r).Select(j => Enumerable.Range(0, t).Average(i => auc[i, j])).ToArray();
        var grand = modalityMeans.Average();
        var msT = r * modalityMeans.Sum(a => (a - grand) * (a - grand)) / (t - 1);
        var msR = t * readerMeans.Sum(a => (a - grand) * (a - grand)) / (r - 1);
        var msTR = (from i in Enumerable.Range(0, t) from j in Enumerable.Range(0, r) select auc[i, j] - modalityMeans[i] - readerMeans[j] + grand)
            .Sum(e => e * e) / ((t - 1) * (r - 1));
        var difference = modalityMeans[0] - modalityMeans[1];

        // Random readers, random cases (Hillis 2007: ddf_H).
        var error = msTR + r * Math.Max(cov2 - cov3, 0);
        var ddf = msTR == 0 ? double.PositiveInfinity : error * error / (msTR * msTR / ((t - 1) * (r - 1)));
        var rrrc = Difference(difference, Math.Sqrt(2.0 / r * error), msT / error, t - 1, ddf, level);

        // Fixed readers, random cases: a chi-square (normal) test.
        var fixedError = variance - cov1 + (r - 1) * Math.Max(cov2 - cov3, 0);
        var frrc = Difference(difference, Math.Sqrt(2.0 / r * fixedError), (t - 1) * msT / fixedError, t - 1, double.PositiveInfinity, level);

        // Random readers, fixed cases: the treatment × reader ANOVA of the AUCs (a paired t test for two modalities).
        var rrfc = Difference(difference, Math.Sqrt(2.0 / r * msTR), msT / msTR, t - 1, (t - 1) * (r - 1), level);

        var randomModalities = new List<ModalityAuc>();
        var fixedReaderModalities = new List<ModalityAuc>();
        var fixedCaseModalities = new List<ModalityAuc>();
        for (var i = 0; i < t; i++)
        {
            var mean = modalityMeans[i];
            var msRi = Enumerable.Range(0, r).Sum(j => (auc[i, j] - mean) * (auc[i, j] - mean)) / (r - 1);
            var varI = Mean(Enumerable.Range(0, r).Select(j => Cov(i, j, i, j)));
            var cov2I = Mean(from j in Enumerable.Range(0, r) from j2 in Enumerable.Range(0, r) where j != j2 select Cov(i, j, i, j2));
            var single = msRi + r * Math.Max(cov2I, 0);
            var dfI = msRi == 0 ? double.PositiveInfinity : single * single / (msRi * msRi / (r - 1));
            randomModalities.Add(Single(readings.Modalities[i], mean, Math.Sqrt(single / r), dfI, level));
            fixedReaderModalities.Add(Single(readings.Modalities[i], mean, Math.Sqrt((varI + (r - 1) * Math.Max(cov2I, 0)) / r), double.PositiveInfinity, level));
            fixedCaseModalities.Add(Single(readings.Modalities[i], mean, Math.Sqrt(msRi / r), r - 1, level));
        }

        return new MrmcComparison(readings.Modalities, readings.Readers, m, n, level, readerAucs,
            new OrComponents(msT, msR, msTR, variance, cov1, cov2, cov3),
            rrrc, randomModalities, frrc, fixedReaderModalities, rrfc, fixedCaseModalities);
    }

    private static AucDifference Difference(double difference, double se, double statistic, double df1, double df2, double level)
    {
        if (!(se > 0))
        {
            throw new StatisticsException("the difference of reader-averaged AUCs has no variance (readers and cases agree perfectly); the test is undefined.");
        }
        var p = double.IsFinite(df2)
            ? 1 - FisherSnedecor.CDF(df1, df2, statistic)
            : 1 - ChiSquared.CDF(df1, statistic);
        var q = PValue.StudentOrNormalQuantile(level, df2);
        return new AucDifference(difference, se, statistic, df1, df2, p, difference - q * se, difference + q * se);
    }

    private static ModalityAuc Single(string modality, double auc, double se, double df, double level)
    {
        var q = se > 0 ? PValue.StudentOrNormalQuantile(level, df) : 0;
        return new ModalityAuc(modality, auc, se, df, auc - q * se, auc + q * se);
    }

    /// <summary>DeLong et al. (1988): Cov = Cov(V10, V10')/m + Cov(V01, V01')/n over the structural components.</summary>
    private static double[,] DeLongCovariance(StructuralComponents[] parts, int positives, int negatives)
    {
        var count = parts.Length;
        var cov = new double[count, count];
        for (var a = 0; a < count; a++)
        {
            for (var b = a; b < count; b++)
            {
                cov[a, b] = cov[b, a] = PairedRoc.Covariance(parts[a].V10, parts[b].V10) / positives + PairedRoc.Covariance(parts[a].V01, parts[b].V01) / negatives;
            }
        }
        return cov;
    }

    /// <summary>Cov = (c−1)/c · Σ_k (θ(k) − θ̄)(θ'(k) − θ̄'), over the AUCs with case k left out.</summary>
    private static double[,] JackknifeCovariance(double[][] jackknife, int cases)
    {
        var count = jackknife.Length;
        var means = jackknife.Select(j => j.Average()).ToArray();
        var cov = new double[count, count];
        for (var a = 0; a < count; a++)
        {
            for (var b = a; b < count; b++)
            {
                double sum = 0;
                for (var k = 0; k < cases; k++)
                {
                    sum += (jackknife[a][k] - means[a]) * (jackknife[b][k] - means[b]);
                }
                cov[a, b] = cov[b, a] = (cases - 1.0) / cases * sum;
            }
        }
        return cov;
    }
}
