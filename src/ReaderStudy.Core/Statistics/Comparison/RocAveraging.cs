namespace ReaderStudy.Core.Statistics.Comparison;

/// <summary>The reader-averaged ROC curve: the readers' empirical curves averaged vertically (true positive fraction at each false positive fraction).</summary>
public static class RocAveraging
{
    /// <remarks>
    /// Each curve is interpolated linearly between its points (the trapezoidal curve whose area is its AUC), so the
    /// averaged curve's area is the readers' mean AUC. Evaluated at every reader's breakpoints; at a vertical step
    /// the curve takes both ends.
    /// </remarks>
    public static IReadOnlyList<RocPoint> Vertical(IReadOnlyList<IReadOnlyList<RocPoint>> curves)
    {
        if (curves.Count == 0)
        {
            return [];
        }
        var grid = curves.SelectMany(c => c.Select(p => p.Fpr)).Append(0).Append(1).Distinct().Order().ToList();
        var sorted = curves.Select(c => c.Append(new RocPoint(1, 1)).Prepend(new RocPoint(0, 0)).OrderBy(p => p.Fpr).ThenBy(p => p.Tpr).ToList()).ToList();
        var averaged = new List<RocPoint>();
        foreach (var fpr in grid)
        {
            var low = sorted.Average(c => At(c, fpr, upper: false));
            var high = sorted.Average(c => At(c, fpr, upper: true));
            averaged.Add(new RocPoint(fpr, low));
            if (high > low)
            {
                averaged.Add(new RocPoint(fpr, high));
            }
        }
        return averaged;
    }

    /// <summary>
    /// The curve's true positive fraction at fpr (its points sorted, corners included): the lowest or highest where
    /// the curve rises vertically there.
    /// </summary>
    private static double At(List<RocPoint> points, double fpr, bool upper)
    {
        var same = points.Where(p => p.Fpr == fpr).ToList();
        if (same.Count > 0)
        {
            return upper ? same.Max(p => p.Tpr) : same.Min(p => p.Tpr);
        }
        var before = points.Last(p => p.Fpr < fpr);
        var after = points.First(p => p.Fpr > fpr);
        return before.Tpr + (after.Tpr - before.Tpr) * (fpr - before.Fpr) / (after.Fpr - before.Fpr);
    }

    /// <summary>Trapezoidal area under a curve given as points in order of false positive fraction.</summary>
    public static double Area(IReadOnlyList<RocPoint> curve)
    {
        double area = 0;
        for (var i = 1; i < curve.Count; i++)
        {
            area += (curve[i].Fpr - curve[i - 1].Fpr) * (curve[i].Tpr + curve[i - 1].Tpr) / 2;
        }
        return area;
    }
}
