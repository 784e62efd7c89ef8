namespace ReaderStudy.Core.Statistics.Comparison;

/// <summary>One reader's empirical AUC in one modality, with DeLong's standard error and interval.</summary>
public sealed record ReaderAuc(string Reader, string Modality, double Auc, double Se, double CiLower, double CiUpper, IReadOnlyList<RocPoint> Curve);

/// <summary>A modality's reader-averaged AUC with its own interval (df is infinite for the fixed-reader, normal-theory one).</summary>
public sealed record ModalityAuc(string Modality, double Auc, double Se, double Df, double CiLower, double CiUpper);

/// <summary>
/// The difference of reader-averaged AUCs (first modality minus second) and its test: an F statistic with
/// df1, df2 for random readers; a chi-square on df1 for fixed readers (df2 infinite).
/// </summary>
public sealed record AucDifference(double Difference, double Se, double Statistic, double Df1, double Df2, double P, double CiLower, double CiUpper);

/// <summary>Obuchowski-Rockette mean squares of the AUCs and the jackknife error variance and covariances.</summary>
public sealed record OrComponents(double MsT, double MsR, double MsTR, double Var, double Cov1, double Cov2, double Cov3);

/// <summary>The answer to "do readers diagnose as well from one modality as from the other?", under three generalizations.</summary>
public sealed record MrmcComparison(
    IReadOnlyList<string> Modalities,
    IReadOnlyList<string> Readers,
    int Positives,
    int Negatives,
    double Level,
    IReadOnlyList<ReaderAuc> ReaderAucs,
    OrComponents Components,
    AucDifference RandomReadersRandomCases,
    IReadOnlyList<ModalityAuc> ModalitiesRandomReadersRandomCases,
    AucDifference FixedReadersRandomCases,
    IReadOnlyList<ModalityAuc> ModalitiesFixedReaders,
    AucDifference RandomReadersFixedCases,
    IReadOnlyList<ModalityAuc> ModalitiesFixedCases)
{
    /// <summary>
    /// Non-inferiority of one modality to the other at a margin (e.g. 0.05: its AUC may be at most 0.05 lower),
    /// random readers and random cases: non-inferior when the lower bound of the two-sided interval of
    /// (tested − reference) lies above −margin, i.e. a one-sided test at (1 − level)/2.
    /// </summary>
    public NonInferiority NonInferiorityOf(string tested, double margin)
    {
        if (!double.IsFinite(margin) || margin == 0)
        {
            throw new StatisticsException($"the non-inferiority margin must be a non-zero number of AUC units, e.g. 0.05; got {margin}.");
        }
        margin = Math.Abs(margin);
        var index = Modalities.ToList().IndexOf(tested);
        if (index < 0)
        {
            throw new StatisticsException($"no modality '{tested}'; the modalities are {string.Join(", ", Modalities)}.");
        }
        var rrrc = RandomReadersRandomCases;
        var delta = index == 0 ? rrrc.Difference : -rrrc.Difference;
        var lower = index == 0 ? rrrc.CiLower : -rrrc.CiUpper;
        var t = (delta + margin) / rrrc.Se;
        var p = PValue.StudentTOrNormal(t, rrrc.Df2, Alternative.Greater);
        return new NonInferiority(tested, Modalities[1 - index], margin, delta, lower, (1 - Level) / 2, lower > -margin, p);
    }
}

/// <summary>Whether the tested modality's reader-averaged AUC is at most margin below the reference's.</summary>
public sealed record NonInferiority(string Tested, string Reference, double Margin, double Difference, double LowerBound, double OneSidedAlpha, bool NonInferior, double P);
