namespace ReaderStudy.Core.Statistics.Agreement;

/// <summary>
/// Bland-Altman agreement of x with y: bias (mean of x − y), SD of the differences, 95 % limits of
/// agreement, and CIs for the bias (t) and for each limit (Bland &amp; Altman 1986: SE ≈ SD √(3/n)).
/// </summary>
public sealed record BlandAltmanResult(
    double Bias, double Sd, double LoaLower, double LoaUpper,
    double BiasCiLower, double BiasCiUpper,
    double LoaLowerCiLower, double LoaLowerCiUpper, double LoaUpperCiLower, double LoaUpperCiUpper,
    int N);
