namespace ReaderStudy.Core.Phantom;

/// <summary>
/// Draws knee-like subjects in sagittal slices (columns anterior→posterior, rows superior→inferior):
/// femur with its condyle, tibia, femoral and tibial cartilage with a deep-to-superficial T2 gradient and
/// optional focal lesions, menisci, joint fluid, fat and muscle; then simulates spin-echo contrasts and a
/// MESE echo train with Rician noise. Deterministic for a seed and subject index.
/// </summary>
public static class KneePhantom
{
    public static PhantomSubject Generate(int subjectIndex, KneePhantomOptions options)
    {
        var random = new Random(unchecked(options.Seed * 7919 + subjectIndex));
        var anatomy = SubjectAnatomy.Draw(random);
        var (n, slices) = (options.Size, options.Slices);
        var voxels = n * n * slices;
        var labels = new Tissue[voxels];
        var regions = new ushort[voxels];
        var t2 = new float[voxels];
        var mm = options.FieldOfViewMm / n;

        for (var z = 0; z < slices; z++)
        {
            // The condyle is rounded across slices too: narrower towards the edges of the knee.
            var s = slices == 1 ? 0 : (z - (slices - 1) / 2.0) / (slices / 2.0);
            var breadth = Math.Sqrt(1 - 0.35 * s * s);
            var lesionHere = options.Lesions && Math.Abs(z - anatomy.LesionSlice * (slices - 1)) <= Math.Max(1, slices / 10.0);
            for (var y = 0; y < n; y++)
            {
                for (var x = 0; x < n; x++)
                {
                    var voxel = (z * n + y) * n + x;
                    var (tissue, region, t2Value) = anatomy.At((x - n / 2.0) * mm, (y - n / 2.0) * mm, breadth, lesionHere, options);
                    labels[voxel] = tissue;
                    regions[voxel] = region;
                    t2[voxel] = (float)t2Value;
                }
            }
        }

        var noise = new NoiseSource(random);
        var echoScale = 1000.0;
        var firstEcho = options.EchoTimesMs[0];
        var sigma = options.NoiseFraction * echoScale * BrightestSpinEcho(options.MeseRepetitionTimeMs, firstEcho);
        var echoes = options.EchoTimesMs.Select(te =>
            Simulate(labels, t2, p => SpinEcho(p, options.MeseRepetitionTimeMs, te), echoScale, sigma, noise)).ToList();
        var anatomic = new Dictionary<string, float[]>
        {
            ["DESS"] = Simulate(labels, t2, p => p.ProtonDensity * p.T2 / (p.T1 + p.T2) * Math.Exp(-5 / p.T2) * 4, echoScale, sigma, noise),
            ["IW TSE"] = Simulate(labels, t2, p => SpinEcho(p, 3000, 30), echoScale, sigma, noise),
            ["T1"] = Simulate(labels, t2, p => SpinEcho(p, 500, 12), echoScale, sigma, noise),
        };
        return new PhantomSubject
        {
            Index = subjectIndex,
            Pseudonym = $"PHANTOM-{options.Seed:D4}-{subjectIndex + 1:D3}",
            Options = options,
            Labels = labels,
            Regions = regions,
            TrueT2 = t2,
            Anatomic = anatomic,
            Echoes = echoes,
        };
    }

    private static double SpinEcho(TissueProperties p, double tr, double te) =>
        p.ProtonDensity * (1 - Math.Exp(-tr / p.T1)) * Math.Exp(-te / p.T2);

    private static double BrightestSpinEcho(double tr, double te) =>
        Enum.GetValues<Tissue>().Max(t => SpinEcho(TissueProperties.Of(t), tr, te));

    /// <summary>Noise-free signal per voxel, scaled, with Rician noise, rounded to the integers a scanner stores.</summary>
    private static float[] Simulate(Tissue[] labels, float[] t2, Func<TissueProperties, double> signal, double scale, double sigma, NoiseSource noise)
    {
        var image = new float[labels.Length];
        for (var v = 0; v < labels.Length; v++)
        {
            var properties = TissueProperties.Of(labels[v]);
            if (labels[v] != Tissue.Background)
            {
                properties = properties with { T2 = t2[v] };
            }
            var clean = labels[v] == Tissue.Background ? 0 : scale * signal(properties);
            var (real, imaginary) = (clean + sigma * noise.Next(), sigma * noise.Next());
            image[v] = MathF.Round((float)Math.Sqrt(real * real + imaginary * imaginary));
        }
        return image;
    }
}
