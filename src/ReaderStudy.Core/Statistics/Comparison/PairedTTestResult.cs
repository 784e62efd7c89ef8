namespace ReaderStudy.Core.Statistics.Comparison;

/// <summary>Paired t test of x − y, as R's t.test(paired = TRUE), with Cohen's d_z as effect size.</summary>
public sealed record PairedTTestResult(double T, double Df, double P, double MeanDifference, double CiLower, double CiUpper, double EffectSizeDz, int N);
