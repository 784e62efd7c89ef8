namespace ReaderStudy.Core.Statistics.Reliability;

/// <summary>Fleiss' kappa for many raters, as R's irr::kappam.fleiss: <see cref="Se"/> is the SE under kappa = 0.</summary>
public sealed record FleissKappaResult(double Kappa, double Se, double Z, double P, int Subjects, int Raters);
