namespace ReaderStudy.Core.Phantom;

/// <summary>
/// A cartilage region of the segmentation: whole plates, and the femoral condyle split deep/superficial
/// × anterior/central/posterior as in knee T2 studies. The number is the DICOM SEG segment number.
/// </summary>
public sealed record CartilageRegion(int Number, string Name)
{
    public static readonly CartilageRegion FemoralCartilage = new(1, "Femoral cartilage");
    public static readonly CartilageRegion TibialCartilage = new(2, "Tibial cartilage");
    public static readonly CartilageRegion DeepAnterior = new(3, "Femoral condyle deep anterior");
    public static readonly CartilageRegion DeepCentral = new(4, "Femoral condyle deep central");
    public static readonly CartilageRegion DeepPosterior = new(5, "Femoral condyle deep posterior");
    public static readonly CartilageRegion SuperficialAnterior = new(6, "Femoral condyle superficial anterior");
    public static readonly CartilageRegion SuperficialCentral = new(7, "Femoral condyle superficial central");
    public static readonly CartilageRegion SuperficialPosterior = new(8, "Femoral condyle superficial posterior");

    public static readonly IReadOnlyList<CartilageRegion> All =
        [FemoralCartilage, TibialCartilage, DeepAnterior, DeepCentral, DeepPosterior, SuperficialAnterior, SuperficialCentral, SuperficialPosterior];

    /// <summary>The femoral subregion for a depth fraction (0 at bone, 1 at the surface) and an arc third (0 anterior, 1 central, 2 posterior).</summary>
    public static CartilageRegion FemoralSubregion(double depth, int third) => (depth < 0.5, third) switch
    {
        (true, 0) => DeepAnterior,
        (true, 1) => DeepCentral,
        (true, _) => DeepPosterior,
        (false, 0) => SuperficialAnterior,
        (false, 1) => SuperficialCentral,
        _ => SuperficialPosterior,
    };
}
