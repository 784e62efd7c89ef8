namespace ReaderStudy.Core.Statistics.Agreement;

/// <summary>A correlation coefficient with its confidence interval (Fisher z) and test of zero correlation.</summary>
public sealed record CorrelationResult(string Method, double R, double CiLower, double CiUpper, double P, int N);
