namespace ReaderStudy.Core.Statistics.Agreement;

/// <summary>Lin's concordance correlation coefficient: agreement with the identity line, not just a line.</summary>
public static class Concordance
{
    /// <remarks>
    /// Moments use divisor n as in Lin (1989). The CI is Lin's asymptotic one on the z-transform, as in
    /// DescTools::CCC(ci = "z-transform"); precision is Pearson's r and accuracy the bias correction factor.
    /// </remarks>
    public static ConcordanceResult Lin(IReadOnlyList<double> x, IReadOnlyList<double> y, double level = 0.95)
    {
        Require.Paired(x, y, 3);
        Require.Level(level);
        var n = x.Count;
        var mx = x.Average();
        var my = y.Average();
        var sxx = x.Sum(v => (v - mx) * (v - mx)) / n;
        var syy = y.Sum(v => (v - my) * (v - my)) / n;
        var sxy = x.Zip(y, (a, b) => (a - mx) * (b - my)).Sum() / n;
        if (sxx == 0 && syy == 0)
        {
            throw new StatisticsException("x and y are both constant; the concordance correlation is undefined.");
        }
        var ccc = 2 * sxy / (sxx + syy + (mx - my) * (mx - my));
        var r = sxx == 0 || syy == 0 ? 0 : sxy / Math.Sqrt(sxx * syy);
        var accuracy = r == 0 ? double.NaN : ccc / r;

        var (lower, upper) = (double.NaN, double.NaN);
        if (Math.Abs(ccc) < 1 && r != 0)
        {
            var u = (mx - my) / Math.Pow(sxx * syy, 0.25);
            var c2 = ccc * ccc;
            var varZ = ((1 - r * r) * c2 / ((1 - c2) * r * r)
                        + 2 * ccc * ccc * ccc * (1 - ccc) * u * u / (r * (1 - c2) * (1 - c2))
                        - c2 * c2 * Math.Pow(u, 4) / (2 * r * r * (1 - c2) * (1 - c2))) / (n - 2);
            var half = PValue.NormalQuantile(level) * Math.Sqrt(varZ);
            (lower, upper) = (Math.Tanh(Math.Atanh(ccc) - half), Math.Tanh(Math.Atanh(ccc) + half));
        }
        return new ConcordanceResult(ccc, lower, upper, r, accuracy, n);
    }
}
