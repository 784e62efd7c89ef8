namespace ReaderStudy.Core.Statistics.Reliability;

/// <summary>Agreement of two raters on categories, beyond chance, unweighted or weighted by distance.</summary>
public static class CohenKappa
{
    /// <summary>Categories are the distinct values either rater used, in ascending order, scored by their position.</summary>
    public static KappaResult Compute(IReadOnlyList<double> rater1, IReadOnlyList<double> rater2, KappaWeights weights = KappaWeights.None, double level = 0.95)
    {
        Require.Paired(rater1, rater2, 2);
        Require.Level(level);
        var categories = rater1.Concat(rater2).Distinct().Order().ToArray();
        var c = categories.Length;
        if (c < 2)
        {
            throw new StatisticsException($"both raters used only the category {categories[0]}; kappa is undefined.");
        }
        var index = categories.Select((v, i) => (v, i)).ToDictionary(t => t.v, t => t.i);
        var n = rater1.Count;
        var p = new double[c, c];
        for (var s = 0; s < n; s++)
        {
            p[index[rater1[s]], index[rater2[s]]] += 1.0 / n;
        }
        var row = Enumerable.Range(0, c).Select(i => Enumerable.Range(0, c).Sum(j => p[i, j])).ToArray();
        var col = Enumerable.Range(0, c).Select(j => Enumerable.Range(0, c).Sum(i => p[i, j])).ToArray();
        var w = new double[c, c];
        for (var i = 0; i < c; i++)
        {
            for (var j = 0; j < c; j++)
            {
                w[i, j] = weights switch
                {
                    KappaWeights.Linear => 1 - Math.Abs(i - j) / (double)(c - 1),
                    KappaWeights.Quadratic => 1 - Math.Pow(i - j, 2) / Math.Pow(c - 1, 2),
                    _ => i == j ? 1 : 0,
                };
            }
        }
        double po = 0, pe = 0;
        for (var i = 0; i < c; i++)
        {
            for (var j = 0; j < c; j++)
            {
                po += w[i, j] * p[i, j];
                pe += w[i, j] * row[i] * col[j];
            }
        }
        if (pe >= 1)
        {
            throw new StatisticsException("chance agreement is complete (each rater used one category); kappa is undefined.");
        }
        var kappa = (po - pe) / (1 - pe);
        var wRow = Enumerable.Range(0, c).Select(i => Enumerable.Range(0, c).Sum(j => col[j] * w[i, j])).ToArray();
        var wCol = Enumerable.Range(0, c).Select(j => Enumerable.Range(0, c).Sum(i => row[i] * w[i, j])).ToArray();
        double sum = 0, sum0 = 0;
        for (var i = 0; i < c; i++)
        {
            for (var j = 0; j < c; j++)
            {
                sum += p[i, j] * Math.Pow(w[i, j] - (wRow[i] + wCol[j]) * (1 - kappa), 2);
                sum0 += row[i] * col[j] * Math.Pow(w[i, j] - (wRow[i] + wCol[j]), 2);
            }
        }
        var se = Math.Sqrt(Math.Max(0, sum - Math.Pow(kappa - pe * (1 - kappa), 2)) / (n * Math.Pow(1 - pe, 2)));
        var se0 = Math.Sqrt(Math.Max(0, sum0 - pe * pe) / (n * Math.Pow(1 - pe, 2)));
        var zq = PValue.NormalQuantile(level);
        var z = kappa / se0;
        return new KappaResult(weights.ToString().ToLowerInvariant(), kappa, se, kappa - zq * se, kappa + zq * se, se0, z, PValue.Normal(z, Alternative.TwoSided), n);
    }
}
