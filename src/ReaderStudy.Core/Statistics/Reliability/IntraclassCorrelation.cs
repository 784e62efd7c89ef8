namespace ReaderStudy.Core.Statistics.Reliability;

/// <summary>The six intraclass correlations of Shrout and Fleiss (1979), with F tests and CIs as in psych::ICC.</summary>
public static class IntraclassCorrelation
{
    public static IReadOnlyList<IccResult> All(RatingTable table, double level = 0.95)
    {
        var x = table.CompleteRows();
        var n = x.Length;
        var k = table.Raters;
        if (n < 2)
        {
            throw new StatisticsException($"at least two subjects rated by every rater are needed, got {n}.");
        }
        var grand = x.SelectMany(r => r).Average();
        var rowMeans = x.Select(r => r.Average()).ToArray();
        var colMeans = Enumerable.Range(0, k).Select(j => x.Average(r => r[j])).ToArray();
        var ssTotal = x.SelectMany(r => r).Sum(v => (v - grand) * (v - grand));
        var ssRows = k * rowMeans.Sum(m => (m - grand) * (m - grand));
        var ssCols = n * colMeans.Sum(m => (m - grand) * (m - grand));
        var ssError = ssTotal - ssRows - ssCols;
        if (ssTotal == 0)
        {
            throw new StatisticsException("every rating is the same; intraclass correlations are undefined.");
        }
        // A difference of sums: where raters agree exactly it is zero up to rounding, and may come out negative.
        var rounding = 1e-10 * ssTotal;
        (ssError, ssCols) = (ssError < rounding ? 0 : ssError, ssCols < rounding ? 0 : ssCols);
        var msr = ssRows / (n - 1);
        var msc = ssCols / (k - 1);
        var mse = ssError / ((n - 1) * (k - 1));
        var msw = (ssCols + ssError) / (n * (k - 1));
        if (msw == 0 || mse == 0)
        {
            throw new StatisticsException("the raters agree perfectly on every subject; the F tests are undefined.");
        }
        var alpha = 1 - level;

        var icc1 = (msr - msw) / (msr + (k - 1) * msw);
        var icc2 = (msr - mse) / (msr + (k - 1) * mse + k * (msc - mse) / n);
        var icc3 = (msr - mse) / (msr + (k - 1) * mse);
        var icc1k = (msr - msw) / msr;
        var icc2k = (msr - mse) / (msr + (msc - mse) / n);
        var icc3k = (msr - mse) / msr;

        var f1 = msr / msw;
        double df1n = n - 1, df1d = n * (k - 1);
        var p1 = 1 - MathNet.Numerics.Distributions.FisherSnedecor.CDF(df1n, df1d, f1);
        var f2 = msr / mse;
        double df2n = n - 1, df2d = (n - 1) * (k - 1);
        var p2 = 1 - MathNet.Numerics.Distributions.FisherSnedecor.CDF(df2n, df2d, f2);

        var f1L = f1 / PValue.FisherUpper(alpha, df1n, df1d);
        var f1U = f1 * PValue.FisherUpper(alpha, df1d, df1n);
        var (l1, u1) = ((f1L - 1) / (f1L + k - 1), (f1U - 1) / (f1U + k - 1));

        var f3L = f2 / PValue.FisherUpper(alpha, df2n, df2d);
        var f3U = f2 * PValue.FisherUpper(alpha, df2d, df2n);
        var (l3, u3) = ((f3L - 1) / (f3L + k - 1), (f3U - 1) / (f3U + k - 1));

        // ICC2's interval uses Satterthwaite's degrees of freedom for the rater effect.
        var fj = msc / mse;
        var vn = (k - 1) * (n - 1) * Math.Pow(k * icc2 * fj + n * (1 + (k - 1) * icc2) - k * icc2, 2);
        var vd = (n - 1) * k * k * icc2 * icc2 * fj * fj + Math.Pow(n * (1 + (k - 1) * icc2) - k * icc2, 2);
        var v = vn / vd;
        var fu = PValue.FisherUpper(alpha, n - 1, v);
        var fl = PValue.FisherUpper(alpha, v, n - 1);
        var l2 = n * (msr - fu * mse) / (fu * (k * msc + (k * n - k - n) * mse) + n * msr);
        var u2 = n * (fl * msr - mse) / (k * msc + (k * n - k - n) * mse + n * fl * msr);

        double Average(double single) => single * k / (1 + single * (k - 1));

        return
        [
            new("ICC1", "Single raters, absolute", icc1, f1, df1n, df1d, p1, l1, u1),
            new("ICC2", "Single random raters", icc2, f2, df2n, df2d, p2, l2, u2),
            new("ICC3", "Single fixed raters", icc3, f2, df2n, df2d, p2, l3, u3),
            new("ICC1k", "Average raters, absolute", icc1k, f1, df1n, df1d, p1, Average(l1), Average(u1)),
            new("ICC2k", "Average random raters", icc2k, f2, df2n, df2d, p2, Average(l2), Average(u2)),
            new("ICC3k", "Average fixed raters", icc3k, f2, df2n, df2d, p2, Average(l3), Average(u3)),
        ];
    }
}
