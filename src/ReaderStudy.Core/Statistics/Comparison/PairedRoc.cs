using MathNet.Numerics.Distributions;

namespace ReaderStudy.Core.Statistics.Comparison;

/// <summary>Two ROC areas on the same cases and their difference (x minus y), by DeLong et al. (1988), as pROC's roc.test.</summary>
public sealed record PairedRocResult(double AucX, double AucY, double Difference, double Se, double Z, double P, double CiLower, double CiUpper, int Positives, int Negatives);

public static class PairedRoc
{
    /// <param name="truth">Per case: true when the case is positive.</param>
    /// <param name="x">Per case: the first score (higher means "positive").</param>
    /// <param name="y">Per case: the second score.</param>
    public static PairedRocResult DeLong(IReadOnlyList<bool> truth, IReadOnlyList<double> x, IReadOnlyList<double> y, double level = 0.95)
    {
        Require.Paired(x, y, 2);
        if (truth.Count != x.Count)
        {
            throw new StatisticsException($"truth has {truth.Count} values but the scores have {x.Count}.");
        }
        Require.Level(level);
        var a = StructuralComponents.Of(truth, x);
        var b = StructuralComponents.Of(truth, y);
        int m = a.V10.Length, n = a.V01.Length;
        var variance = (Covariance(a.V10, a.V10) + Covariance(b.V10, b.V10) - 2 * Covariance(a.V10, b.V10)) / m
            + (Covariance(a.V01, a.V01) + Covariance(b.V01, b.V01) - 2 * Covariance(a.V01, b.V01)) / n;
        var difference = a.Auc - b.Auc;
        var se = Math.Sqrt(Math.Max(variance, 0));
        if (se == 0)
        {
            throw new StatisticsException("the two areas do not vary over the cases (identical or perfect scores); the paired test is undefined.");
        }
        var z = difference / se;
        var q = PValue.NormalQuantile(level);
        return new PairedRocResult(a.Auc, b.Auc, difference, se, z, 2 * Normal.CDF(0, 1, -Math.Abs(z)), difference - q * se, difference + q * se, m, n);
    }

    /// <summary>Sample covariance over cases (denominator count − 1); 0 for a single case.</summary>
    internal static double Covariance(double[] u, double[] v)
    {
        if (u.Length < 2)
        {
            return 0;
        }
        double mu = u.Average(), mv = v.Average(), sum = 0;
        for (var i = 0; i < u.Length; i++)
        {
            sum += (u[i] - mu) * (v[i] - mv);
        }
        return sum / (u.Length - 1);
    }
}

/// <summary>
/// DeLong's structural components of an empirical AUC: per positive case, the share of negatives it outscores
/// (V10); per negative case, the share of positives that outscore it (V01); ties count one half.
/// </summary>
internal sealed record StructuralComponents(double Auc, double[] V10, double[] V01)
{
    public static StructuralComponents Of(IReadOnlyList<bool> truth, IReadOnlyList<double> scores)
    {
        var positives = Enumerable.Range(0, truth.Count).Where(i => truth[i]).Select(i => scores[i]).ToArray();
        var negatives = Enumerable.Range(0, truth.Count).Where(i => !truth[i]).Select(i => scores[i]).ToArray();
        return Of(positives, negatives);
    }

    /// <remarks>O((m+n) log(m+n)) by sorting, so a 10-reader × 500-case study stays far under a second.</remarks>
    public static StructuralComponents Of(double[] positives, double[] negatives)
    {
        if (positives.Length == 0 || negatives.Length == 0)
        {
            throw new StatisticsException($"an ROC area needs positive and negative cases; got {positives.Length} and {negatives.Length}.");
        }
        var sortedNegatives = negatives.Order().ToArray();
        var sortedPositives = positives.Order().ToArray();
        var v10 = positives.Select(p => Below(sortedNegatives, p) / negatives.Length).ToArray();
        // Positives above q plus half those equal to it: all of them less those below and half those equal.
        var v01 = negatives.Select(q => (positives.Length - Below(sortedPositives, q)) / positives.Length).ToArray();
        return new StructuralComponents(v10.Average(), v10, v01);
    }

    // Count below value plus half the count equal to it.
    private static double Below(double[] sorted, double value) => LowerBound(sorted, value) + 0.5 * Equal(sorted, value);

    private static int Equal(double[] sorted, double value) => UpperBound(sorted, value) - LowerBound(sorted, value);

    private static int LowerBound(double[] sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (sorted[mid] < value) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    private static int UpperBound(double[] sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (sorted[mid] <= value) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
