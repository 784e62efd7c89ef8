namespace ReaderStudy.Core.Statistics.Reliability;

public enum KappaWeights
{
    /// <summary>Unweighted: only exact agreement counts.</summary>
    None,
    /// <summary>Cicchetti-Allison: 1 − |i−j|/(C−1).</summary>
    Linear,
    /// <summary>Fleiss-Cohen: 1 − (i−j)²/(C−1)².</summary>
    Quadratic,
}
