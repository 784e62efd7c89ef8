using ReaderStudy.Core.Statistics.Agreement;
using ReaderStudy.Core.Statistics.Comparison;
using ReaderStudy.Core.Statistics.Reliability;

namespace ReaderStudy.Web.Features.StudyResults;

/// <summary>Everything the results page, the report and results.json show, each number with its method.</summary>
public sealed record StudyResultsModel(
    string Study, DateTimeOffset GeneratedAt, int Readers, int Cases,
    IReadOnlyList<ReaderAccuracy> Accuracy, IReadOnlyList<GradeComparison> Grades,
    FleissKappaResult? CorrectnessAgreement, string? CorrectnessAgreementNote,
    IReadOnlyList<RegionAgreement> T2Agreement, IReadOnlyList<PairSimilarity> Similarity, IReadOnlyList<string> Notes,
    IReadOnlyList<IntraReaderAgreement> IntraReader, MrmcResult? Mrmc, IReadOnlyList<GradeReliability> GradeReliability,
    StudyBlinding Blinding, DiagnosticEquivalence? Diagnostic = null, string Quantity = "T2", string Units = "ms", string FirstSegment = "femoral cartilage")
{
    /// <summary>"T2 (ms)", "HU", "signal": how the quantity is named in headings and axes.</summary>
    public string QuantityWithUnits => Units.Length == 0 ? Quantity : Quantity == Units ? Units : $"{Quantity} ({Units})";
}

/// <summary>
/// Diagnostic reading: do readers diagnose the finding as well from the synthetic map as from the real one?
/// Obuchowski-Rockette/Hillis on the confidence ratings against the reference standard (real minus synthetic),
/// and the synthetic map's non-inferiority at the statistician's margin.
/// </summary>
public sealed record DiagnosticEquivalence(string Finding, MrmcComparison Comparison, NonInferiority NonInferiority);

/// <summary>How images reached readers (the presentation settings), and the blinding check's verdict when the study opened, with any written override.</summary>
public sealed record StudyBlinding(string Presentation, string? Verdict, string? OverrideReason);

/// <summary>A reader's agreement with themselves on the repeated cases: raw agreement and Cohen's kappa on correct vs incorrect.</summary>
public sealed record IntraReaderAgreement(string Reader, int RepeatedCases, double Agreement, KappaResult? Kappa, string? Note);

/// <summary>Telling real from synthetic: accuracy (exact binomial vs 50 %, Clopper-Pearson CI), equivalence to chance (TOST), ROC AUC (DeLong).</summary>
public sealed record ReaderAccuracy(string Reader, BinomialResult Accuracy, EquivalenceResult Equivalence, RocResult? Roc);

/// <summary>A grade of the real vs the synthetic image of the same case: paired t test and Wilcoxon signed-rank (real minus synthetic).</summary>
public sealed record GradeComparison(string Question, string Reader, int Pairs, double RealMean, double SyntheticMean, PairedTTestResult? PairedT, WilcoxonResult? Wilcoxon, string? Note);

/// <summary>
/// Agreement of synthetic with real regional mean T2 over cases: Pearson and Spearman, Lin's CCC, the intraclass
/// correlation for absolute agreement of the two methods (ICC(A,1), Shrout-Fleiss ICC2), Bland-Altman (synthetic minus real), regression.
/// </summary>
public sealed record RegionAgreement(string Region, int Cases, CorrelationResult? Pearson, CorrelationResult? Spearman, ConcordanceResult? Ccc, IccResult? Icc,
    BlandAltmanResult? BlandAltman, RegressionResult? Regression, string? Note);

/// <summary>Per case: similarity inside and outside the femoral cartilage, and voxel-by-voxel agreement inside it.</summary>
public sealed record PairSimilarity(int Case, string Subject, SimilarityResult InsideCartilage, SimilarityResult OutsideCartilage, CorrelationResult? VoxelPearson, ConcordanceResult? VoxelCcc);

/// <summary>Inter-reader reliability of a grade of the synthetic images: Krippendorff's alpha, ordinal.</summary>
public sealed record GradeReliability(string Question, KrippendorffAlphaResult? Alpha, string? Note);
