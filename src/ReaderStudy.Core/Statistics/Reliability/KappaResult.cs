namespace ReaderStudy.Core.Statistics.Reliability;

/// <summary>
/// Cohen's kappa as SAS PROC FREQ (AGREE) reports it: <see cref="Se"/> is the asymptotic SE of Fleiss,
/// Cohen and Everitt (1969) behind the CI; <see cref="Se0"/>, <see cref="Z"/> and <see cref="P"/> test kappa = 0.
/// </summary>
public sealed record KappaResult(string Weights, double Kappa, double Se, double CiLower, double CiUpper, double Se0, double Z, double P, int N);
