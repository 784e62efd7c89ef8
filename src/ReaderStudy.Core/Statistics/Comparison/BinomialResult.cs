namespace ReaderStudy.Core.Statistics.Comparison;

/// <summary>Exact binomial test (R's binom.test) with the Clopper-Pearson interval of the proportion.</summary>
public sealed record BinomialResult(int Successes, int N, double Proportion, double P, double CiLower, double CiUpper);
