namespace ReaderStudy.Core.Statistics.Comparison;

/// <summary>
/// Wilcoxon signed-rank test of x − y as R's wilcox.test(paired = TRUE): V is the sum of the ranks of
/// the positive differences; <see cref="Exact"/> tells whether p is exact or the normal approximation.
/// </summary>
public sealed record WilcoxonResult(double V, double P, int N, bool Exact, double EffectSizeR);
