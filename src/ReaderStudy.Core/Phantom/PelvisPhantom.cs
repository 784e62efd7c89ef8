namespace ReaderStudy.Core.Phantom;

/// <summary>
/// Draws pelvis-like subjects in axial slices through the sacroiliac joints (columns right→left of the patient,
/// rows anterior→posterior, DICOM's axial convention): a body of subcutaneous fat around muscle, the sacrum and
/// both iliac bones (cortex around fatty marrow) with the joint spaces between them, and in some subjects an
/// erosion of one joint's iliac side. Then "scans" it as T1-weighted MR (Rician noise) and CT (HU, Gaussian
/// noise). Deterministic for a seed and subject index.
/// </summary>
public static class PelvisPhantom
{
    public static PelvisSubject Generate(int subjectIndex, PelvisPhantomOptions options)
    {
        var random = new Random(unchecked(options.Seed * 6007 + subjectIndex * 31 + 17));
        var (n, slices) = (options.Size, options.Slices);
        var mm = options.FieldOfViewMm / n;
        var bodyScale = 0.92 + 0.16 * random.NextDouble();
        var marrowHu = PelvisTissues.Hounsfield(PelvisTissue.Marrow) * (0.8 + 0.4 * random.NextDouble());
        var erosion = random.NextDouble() < options.ErosionFraction;
        var side = random.Next(2) == 0 ? -1 : 1;
        var erosionY = 38 + (random.NextDouble() - 0.5) * 20;
        var erosionSlice = (slices - 1) * (0.3 + 0.4 * random.NextDouble());
        var labels = new PelvisTissue[n * n * slices];
        for (var z = 0; z < slices; z++)
        {
            // The bones are a little smaller towards the ends of the slab.
            var s = slices == 1 ? 0 : (z - (slices - 1) / 2.0) / (slices / 2.0);
            var taper = 1 - 0.1 * s * s;
            var erodedHere = erosion && Math.Abs(z - erosionSlice) <= Math.Max(1, slices / 6.0);
            for (var row = 0; row < n; row++)
            {
                for (var column = 0; column < n; column++)
                {
                    var (x, y) = ((column - n / 2.0 + 0.5) * mm, (row - n / 2.0 + 0.5) * mm);
                    labels[(z * n + row) * n + column] = TissueAt(x, y, bodyScale, taper, erodedHere ? (side * 50.0, erosionY) : null);
                }
            }
        }
        var noise = new NoiseSource(random);
        var trueHu = labels.Select(t => (float)(t == PelvisTissue.Marrow ? marrowHu : PelvisTissues.Hounsfield(t))).ToArray();
        var ct = trueHu.Select(v => v <= -1000 ? v : MathF.Round((float)(v + options.CtNoiseHu * noise.Next()))).ToArray();
        var sigma = options.MrNoiseFraction * PelvisTissues.T1Signal(PelvisTissue.Fat);
        var t1 = labels.Select(t =>
        {
            var (real, imaginary) = (PelvisTissues.T1Signal(t) + sigma * noise.Next(), sigma * noise.Next());
            return MathF.Round((float)Math.Sqrt(real * real + imaginary * imaginary));
        }).ToArray();
        return new PelvisSubject
        {
            Index = subjectIndex,
            Pseudonym = $"PELVIS-{options.Seed:D4}-{subjectIndex + 1:D3}",
            Options = options,
            Labels = labels,
            TrueHounsfield = trueHu,
            Ct = ct,
            T1 = t1,
            HasErosion = erosion,
            ErosionSide = erosion ? (side < 0 ? "right" : "left") : "",
        };
    }

    // Superellipses (|x/a|^4 + |y/b|^4 <= 1) give the bones flat facing sides, so the joint between them is a thin band.
    private static double Superellipse(double x, double y, double cx, double cy, double a, double b) =>
        Math.Pow(Math.Abs((x - cx) / a), 4) + Math.Pow(Math.Abs((y - cy) / b), 4);

    private static PelvisTissue TissueAt(double x, double y, double bodyScale, double taper, (double X, double Y)? erosion)
    {
        var body = Math.Pow(x / (150 * bodyScale), 2) + Math.Pow((y - 10) / (105 * bodyScale), 2);
        if (body > 1)
        {
            return PelvisTissue.Air;
        }
        var inner = Math.Pow(x / (150 * bodyScale - 16), 2) + Math.Pow((y - 10) / (105 * bodyScale - 16), 2);
        var soft = inner > 1 ? PelvisTissue.Fat : PelvisTissue.Muscle;
        if (erosion is { } e && Math.Pow((x - e.X) / 6, 2) + Math.Pow((y - e.Y) / 7, 2) <= 1)
        {
            return PelvisTissue.Erosion;
        }
        var (sacrumA, sacrumB) = (42 * taper, 30 * taper);
        var sacrum = Superellipse(x, y, 0, 38, sacrumA, sacrumB);
        var ilium = Superellipse(Math.Abs(x), y, 85, 38, 38 * taper, 42 * taper);
        if (sacrum <= 1 || ilium <= 1)
        {
            // A cortex about 3 mm thick around the marrow.
            var cortex = sacrum <= 1 ? Superellipse(x, y, 0, 38, sacrumA - 3, sacrumB - 3) > 1 : Superellipse(Math.Abs(x), y, 85, 38, 38 * taper - 3, 42 * taper - 3) > 1;
            return cortex ? PelvisTissue.CorticalBone : PelvisTissue.Marrow;
        }
        // The joint: between the sacrum's side and the ilium's inner side, where they face each other.
        if (Math.Abs(y - 38) < 24 * taper && Math.Abs(x) > 30 && Math.Abs(x) < 52)
        {
            return PelvisTissue.Joint;
        }
        return soft;
    }
}
