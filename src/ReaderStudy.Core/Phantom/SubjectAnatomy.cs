namespace ReaderStudy.Core.Phantom;

/// <summary>One subject's shape (mm, origin at the image centre, +x posterior, +y inferior) and T2 offsets.</summary>
internal sealed record SubjectAnatomy(
    double CondyleRadius, double CartilageThickness, double TibialThickness, double T2Offset, double LesionSlice)
{
    private const double CondyleCentreY = -8;
    private const double JointGap = 0.7;

    public static SubjectAnatomy Draw(Random random) => new(
        CondyleRadius: 21 + 3 * random.NextDouble(),
        CartilageThickness: 2.4 + 0.6 * random.NextDouble(),
        TibialThickness: 2.0 + 0.6 * random.NextDouble(),
        T2Offset: -3 + 6 * random.NextDouble(),
        LesionSlice: 0.35 + 0.3 * random.NextDouble());

    public (Tissue Tissue, ushort Regions, double T2) At(double px, double py, double breadth, bool lesionHere, KneePhantomOptions options)
    {
        var radius = CondyleRadius * breadth;
        var dy = py - CondyleCentreY;
        var distance = Math.Sqrt(px * px + dy * dy);
        var outer = radius + CartilageThickness;
        var tibialTop = CondyleCentreY + outer + JointGap;

        // Femoral cartilage: a shell over the condyle's anterior-inferior to posterior-superior arc.
        var angle = Math.Atan2(dy, px) * 180 / Math.PI;
        if (distance >= radius && distance < outer && angle is >= -45 and <= 165)
        {
            var depth = (distance - radius) / CartilageThickness;
            var third = angle >= 110 ? 0 : angle >= 60 ? 1 : 2;
            var region = CartilageRegion.FemoralSubregion(depth, third);
            var t2 = options.DeepT2Ms + (options.SuperficialT2Ms - options.DeepT2Ms) * depth + T2Offset + (third == 2 ? 2 : third == 0 ? -1 : 0);
            if (lesionHere && region == CartilageRegion.SuperficialCentral && Math.Abs(angle - 85) < 9)
            {
                t2 += options.LesionT2IncreaseMs;
            }
            return (Tissue.FemoralCartilage, Bits(CartilageRegion.FemoralCartilage, region), t2);
        }
        if (distance < radius || (py < CondyleCentreY && Math.Abs(px) < 0.6 * radius))
        {
            return Plain(Tissue.Femur);
        }
        if (Math.Abs(px) < 22 * breadth)
        {
            if (py >= tibialTop && py < tibialTop + TibialThickness && Math.Abs(px) < 19 * breadth)
            {
                var depth = (tibialTop + TibialThickness - py) / TibialThickness;
                return (Tissue.TibialCartilage, Bits(CartilageRegion.TibialCartilage), options.DeepT2Ms + (options.SuperficialT2Ms - options.DeepT2Ms) * depth + T2Offset);
            }
            if (py >= tibialTop + TibialThickness && (py < tibialTop + 18 || Math.Abs(px) < 14))
            {
                return Plain(Tissue.Tibia);
            }
            if (py > CondyleCentreY && py < tibialTop && distance >= outer)
            {
                // Between the femoral surface and the tibial plateau: menisci at the rim, fluid within.
                return Plain(Math.Abs(px) > 0.55 * radius ? Tissue.Meniscus : Tissue.Fluid);
            }
        }
        if (Math.Pow((px + 27) / 4.0, 2) + Math.Pow((py + 24) / 14.0, 2) < 1)
        {
            return Plain(Tissue.Fluid);   // suprapatellar recess
        }
        var body = Math.Pow(px / 50.0, 2) + Math.Pow(py / 64.0, 2);
        return body >= 1 ? Plain(Tissue.Background) : body > 0.78 ? Plain(Tissue.Fat) : Plain(Tissue.Muscle);
    }

    private static (Tissue, ushort, double) Plain(Tissue tissue) => (tissue, 0, TissueProperties.Of(tissue).T2);

    private static ushort Bits(params CartilageRegion[] regions) => (ushort)regions.Aggregate(0, (bits, r) => bits | (1 << (r.Number - 1)));
}
