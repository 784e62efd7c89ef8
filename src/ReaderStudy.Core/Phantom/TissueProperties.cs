namespace ReaderStudy.Core.Phantom;

/// <summary>Proton density (relative) and relaxation times (ms) at 3 T, from typical literature values.</summary>
public readonly record struct TissueProperties(double ProtonDensity, double T1, double T2)
{
    public static TissueProperties Of(Tissue tissue) => tissue switch
    {
        Tissue.Fat => new(0.90, 370, 130),
        Tissue.Muscle => new(0.70, 1400, 35),
        Tissue.Femur or Tissue.Tibia => new(0.80, 380, 110),   // fatty marrow
        Tissue.FemoralCartilage or Tissue.TibialCartilage => new(0.75, 1200, 40),
        Tissue.Meniscus => new(0.35, 1000, 12),
        Tissue.Fluid => new(1.00, 3500, 700),
        _ => new(0, 1, 1),
    };
}
