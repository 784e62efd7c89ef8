namespace ReaderStudy.Core.Phantom;

/// <summary>Standard normal deviates (Box-Muller) from a seeded generator, so noise is reproducible.</summary>
internal sealed class NoiseSource(Random random)
{
    private double? spare;

    public double Next()
    {
        if (spare is { } cached)
        {
            spare = null;
            return cached;
        }
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        var radius = Math.Sqrt(-2 * Math.Log(u1));
        spare = radius * Math.Sin(2 * Math.PI * u2);
        return radius * Math.Cos(2 * Math.PI * u2);
    }
}
