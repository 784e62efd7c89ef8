using ReaderStudy.Core.Statistics.Comparison;
using ReaderStudy.Testing;

namespace ReaderStudy.Core.Tests.Statistics;

/// <summary>Paired DeLong: the fast (sorted) structural components against their definition, and the limits it must meet.</summary>
public sealed class PairedRocTests
{
    private static (bool[] Truth, double[] X, double[] Y) Reader(int reader)
    {
        var rows = VanDyke1993.Rows().Where(r => r.Reader == $"reader{reader}").ToList();
        var one = rows.Where(r => r.Modality == "1").ToList();
        var two = rows.Where(r => r.Modality == "2").ToList();
        return ([.. one.Select(r => r.Truth == 1)], [.. one.Select(r => (double)r.Rating)], [.. two.Select(r => (double)r.Rating)]);
    }

    [Fact]
    public void Variance_IsDeLongsDefinition_ComputedPairByPair()
    {
        var (truth, x, y) = Reader(5);
        var result = PairedRoc.DeLong(truth, x, y);

        // The definition, O(m·n): ψ = 1, ½, 0 for every positive-negative pair, in each modality.
        var pos = Enumerable.Range(0, truth.Length).Where(i => truth[i]).ToArray();
        var neg = Enumerable.Range(0, truth.Length).Where(i => !truth[i]).ToArray();
        static double Psi(double a, double b) => a > b ? 1 : a == b ? 0.5 : 0;
        double[] V10(double[] s) => [.. pos.Select(i => neg.Average(j => Psi(s[i], s[j])))];
        double[] V01(double[] s) => [.. neg.Select(j => pos.Average(i => Psi(s[i], s[j])))];
        static double Cov(double[] a, double[] b) => a.Zip(b, (u, v) => (u - a.Average()) * (v - b.Average())).Sum() / (a.Length - 1);
        var (x10, y10, x01, y01) = (V10(x), V10(y), V01(x), V01(y));
        var variance = (Cov(x10, x10) + Cov(y10, y10) - 2 * Cov(x10, y10)) / pos.Length + (Cov(x01, x01) + Cov(y01, y01) - 2 * Cov(x01, y01)) / neg.Length;

        Assert.Equal(0.82979066, result.AucX, 8);
        Assert.Equal(0.92995169, result.AucY, 8);
        Assert.Equal(Math.Sqrt(variance), result.Se, 12);
        Assert.Equal(result.Difference / result.Se, result.Z, 12);
        Assert.True(result.P is > 0 and < 1);
        Assert.Equal(result.Difference, (result.CiLower + result.CiUpper) / 2, 12);
    }

    [Fact]
    public void AgainstAnUninformativeScore_ItIsTheSingleCurveTest()
    {
        var (truth, x, _) = Reader(2);
        var constant = Enumerable.Repeat(3.0, x.Length).ToArray();
        var paired = PairedRoc.DeLong(truth, x, constant);
        var single = RocAnalysis.Analyse([.. x.Where((_, i) => truth[i])], [.. x.Where((_, i) => !truth[i])]);

        Assert.Equal(0.5, paired.AucY);
        Assert.Equal(single.Se, paired.Se, 12);
        Assert.Equal(single.Auc - 0.5, paired.Difference, 12);
    }

    [Fact]
    public void SwappingTheScores_ChangesOnlyTheSign()
    {
        var (truth, x, y) = Reader(1);
        var xy = PairedRoc.DeLong(truth, x, y);
        var yx = PairedRoc.DeLong(truth, y, x);
        Assert.Equal(-xy.Difference, yx.Difference, 12);
        Assert.Equal(xy.P, yx.P, 12);
        Assert.Equal(-xy.CiUpper, yx.CiLower, 12);
    }
}

/// <summary>The reader-averaged curve drawn on the results page.</summary>
public sealed class RocAveragingTests
{
    [Fact]
    public void AveragedCurve_HasTheReadersMeanAuc_AndRunsFromCornerToCorner()
    {
        var curves = new List<IReadOnlyList<RocPoint>>();
        var aucs = new List<double>();
        for (var reader = 1; reader <= 5; reader++)
        {
            var rows = VanDyke1993.Rows().Where(r => r.Reader == $"reader{reader}" && r.Modality == "1").ToList();
            var roc = RocAnalysis.Analyse([.. rows.Where(r => r.Truth == 1).Select(r => (double)r.Rating)], [.. rows.Where(r => r.Truth == 0).Select(r => (double)r.Rating)]);
            curves.Add(roc.Curve);
            aucs.Add(roc.Auc);
        }
        var averaged = RocAveraging.Vertical(curves);

        Assert.Equal(0.89703704, aucs.Average(), 8);
        Assert.Equal(aucs.Average(), RocAveraging.Area(averaged), 12);
        Assert.Equal(new RocPoint(0, 0), averaged[0]);
        Assert.Equal(new RocPoint(1, 1), averaged[^1]);
        Assert.True(averaged.Zip(averaged.Skip(1)).All(p => p.Second.Fpr >= p.First.Fpr && p.Second.Tpr >= p.First.Tpr - 1e-12));
    }
}
