namespace ReaderStudy.Core.Phantom;

/// <summary>
/// Draws craniocaudal mammogram-like images: a half-ellipse breast against the chest wall, adipose background,
/// fibroglandular density as a sum of soft blobs, a bright skin line, quantum noise; the synthetic image shares the
/// outline and density level but draws its own texture and is a little smoother, as a generator's image is.
/// Deterministic for a seed and subject index.
/// </summary>
public static class MammographyPhantom
{
    public const float Background = 100;

    public static MammogramSubject Generate(int subjectIndex, MammographyPhantomOptions options)
    {
        var random = new Random(unchecked(options.Seed * 4099 + subjectIndex * 13 + 5));
        var size = (Depth: 0.65 + 0.2 * random.NextDouble(), Height: 0.38 + 0.1 * random.NextDouble());
        var density = 0.6 + 0.8 * random.NextDouble();
        var real = Draw(options, size, density, new Random(random.Next()), smoothing: 0);
        var synthetic = Draw(options, size, density, new Random(random.Next()), smoothing: 1);
        return new MammogramSubject
        {
            Index = subjectIndex,
            Pseudonym = $"MAMMO-{options.Seed:D4}-{subjectIndex + 1:D3}",
            Options = options,
            Real = real,
            Synthetic = synthetic,
            Laterality = subjectIndex % 2 == 0 ? "L" : "R",
        };
    }

    private static float[] Draw(MammographyPhantomOptions o, (double Depth, double Height) size, double density, Random random, int smoothing)
    {
        var (rows, columns) = (o.Rows, o.Columns);
        var (a, b) = (size.Depth * columns, size.Height * rows);
        var centre = rows / 2.0;
        var blobs = Enumerable.Range(0, 40).Select(_ =>
        {
            var (r, angle) = (Math.Sqrt(random.NextDouble()) * 0.8, (random.NextDouble() - 0.5) * Math.PI);
            var radius = (3 + 12 * random.NextDouble()) / o.PixelMm;
            return (X: r * a * Math.Cos(angle), Y: centre + r * b * Math.Sin(angle), Radius: radius, Amplitude: density * (300 + 500 * random.NextDouble()));
        }).ToArray();
        var image = new float[rows * columns];
        var noise = new NoiseSource(random);
        Parallel.For(0, rows, row =>
        {
            for (var column = 0; column < columns; column++)
            {
                var inside = Math.Pow(column / a, 2) + Math.Pow((row - centre) / b, 2);
                if (inside > 1)
                {
                    image[row * columns + column] = Background;
                    continue;
                }
                var value = 1200.0 + (inside > 0.96 ? 500 : 0);
                foreach (var blob in blobs)
                {
                    var d2 = (Math.Pow(column - blob.X, 2) + Math.Pow(row - blob.Y, 2)) / (blob.Radius * blob.Radius);
                    if (d2 < 9)
                    {
                        value += blob.Amplitude * Math.Exp(-d2 / 2);
                    }
                }
                image[row * columns + column] = (float)value;
            }
        });
        for (var pass = 0; pass < smoothing; pass++)
        {
            image = Smooth(image, rows, columns);
        }
        for (var i = 0; i < image.Length; i++)
        {
            image[i] = Math.Clamp(MathF.Round((float)(image[i] + o.NoiseSigma * noise.Next())), 0, 4095);
        }
        return image;
    }

    // A 3×3 box filter: the generator's images are a little smoother than the detector's.
    private static float[] Smooth(float[] image, int rows, int columns)
    {
        var smoothed = new float[image.Length];
        for (var row = 0; row < rows; row++)
        {
            for (var column = 0; column < columns; column++)
            {
                var (sum, count) = (0.0, 0);
                for (var dy = -1; dy <= 1; dy++)
                {
                    for (var dx = -1; dx <= 1; dx++)
                    {
                        var (y, x) = (row + dy, column + dx);
                        if (y >= 0 && y < rows && x >= 0 && x < columns)
                        {
                            sum += image[y * columns + x];
                            count++;
                        }
                    }
                }
                smoothed[row * columns + column] = (float)(sum / count);
            }
        }
        return smoothed;
    }
}
