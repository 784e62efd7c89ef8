using MathNet.Numerics.Distributions;

namespace ReaderStudy.Core.Statistics.Comparison;

/// <summary>An empirical ROC curve with its area and DeLong's standard error and confidence interval.</summary>
public sealed record RocResult(double Auc, double Se, double CiLower, double CiUpper, int Positives, int Negatives, IReadOnlyList<RocPoint> Curve);

/// <summary>One operating point: false and true positive fractions.</summary>
public sealed record RocPoint(double Fpr, double Tpr);

/// <summary>How well scores separate positives (e.g. real images) from negatives (synthetic ones).</summary>
public static class RocAnalysis
{
    /// <remarks>The area is the Mann-Whitney probability that a positive outscores a negative (ties count one half); the SE is DeLong et al. (1988).</remarks>
    public static RocResult Analyse(IReadOnlyList<double> positives, IReadOnlyList<double> negatives, double level = 0.95)
    {
        if (positives.Count < 1 || negatives.Count < 1)
        {
            throw new StatisticsException($"an ROC curve needs positive and negative cases; got {positives.Count} and {negatives.Count}.");
        }
        static double Kernel(double x, double y) => x > y ? 1 : x == y ? 0.5 : 0;
        var v10 = positives.Select(x => negatives.Average(y => Kernel(x, y))).ToArray();
        var v01 = negatives.Select(y => positives.Average(x => Kernel(x, y))).ToArray();
        var auc = v10.Average();
        double Variance(double[] v) => v.Length < 2 ? 0 : v.Sum(a => (a - auc) * (a - auc)) / (v.Length - 1);
        var se = Math.Sqrt(Variance(v10) / v10.Length + Variance(v01) / v01.Length);
        var z = Normal.InvCDF(0, 1, 1 - (1 - level) / 2);
        return new RocResult(auc, se, Math.Max(0, auc - z * se), Math.Min(1, auc + z * se), positives.Count, negatives.Count, Curve(positives, negatives));
    }

    /// <summary>The empirical ROC curve: (0, 0), then one operating point per distinct score, highest first.</summary>
    public static IReadOnlyList<RocPoint> Curve(IReadOnlyList<double> positives, IReadOnlyList<double> negatives)
    {
        var thresholds = positives.Concat(negatives).Distinct().OrderDescending().ToList();
        var curve = new List<RocPoint> { new(0, 0) };
        curve.AddRange(thresholds.Select(t => new RocPoint(negatives.Count(y => y >= t) / (double)negatives.Count, positives.Count(x => x >= t) / (double)positives.Count)));
        return curve;
    }
}
