namespace ReaderStudy.Core.Statistics.Agreement;

/// <summary>Lin's concordance correlation coefficient with its CI (Fisher z-transform, Lin 1989).</summary>
public sealed record ConcordanceResult(double Ccc, double CiLower, double CiUpper, double Precision, double Accuracy, int N);
