namespace ReaderStudy.Core.T2Mapping;

/// <summary>
/// The signal below which a voxel is empty background (air, outside the knee): a fraction of the bright
/// tissue's signal, read as the 99th percentile of the first fitted echo over a sample of the volume.
/// </summary>
internal static class BackgroundLevel
{
    private const int SampleSize = 65536;

    public static float Of(float[] firstEcho, double fraction)
    {
        if (fraction <= 0)
        {
            return float.NegativeInfinity;
        }
        var stride = Math.Max(1, firstEcho.Length / SampleSize);
        var sample = new List<float>(SampleSize + 1);
        for (var v = 0; v < firstEcho.Length; v += stride)
        {
            if (float.IsFinite(firstEcho[v]) && firstEcho[v] > 0)
            {
                sample.Add(firstEcho[v]);
            }
        }
        if (sample.Count == 0)
        {
            return float.NegativeInfinity;
        }
        sample.Sort();
        return (float)(fraction * sample[(int)(0.99 * (sample.Count - 1))]);
    }
}
