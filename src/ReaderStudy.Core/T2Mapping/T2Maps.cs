namespace ReaderStudy.Core.T2Mapping;

/// <summary>
/// The outputs of a fit, voxel by voxel: T2 (ms), S0, R² and reliability. Values are always finite, so
/// every map can be written as DICOM: T2 is 0 where no fit exists or the fit explains too little of the
/// signal (R² below the threshold), and the clip bound where the fitted T2 lay outside the clip range.
/// Background voxels (see <see cref="T2FitOptions.BackgroundFraction"/>) are neither fitted nor unreliable.
/// </summary>
public sealed record T2Maps(float[] T2, float[] S0, float[] R2, bool[] Reliable, int VoxelsFitted, int Unreliable, int Background, TimeSpan Elapsed)
{
    /// <summary>Which voxels were fitted: false for background and voxels outside the mask. Empty for maps not made by a fit.</summary>
    public bool[] Fitted { get; init; } = [];

    /// <summary>Each voxel's <see cref="VoxelFit"/>, as a byte: what the map's 0 ms means there.</summary>
    public byte[] VoxelFits()
    {
        var fits = new byte[T2.Length];
        for (var v = 0; v < fits.Length; v++)
        {
            fits[v] = (byte)(Fitted.Length > 0 && !Fitted[v] ? VoxelFit.NotFitted : Reliable[v] ? VoxelFit.Reliable : VoxelFit.Unreliable);
        }
        return fits;
    }

    /// <summary>Mean T2 over reliable voxels inside a mask, ms; NaN when no reliable voxel is inside.</summary>
    public double MeanT2(bool[] mask)
    {
        double sum = 0;
        var count = 0;
        for (var v = 0; v < T2.Length; v++)
        {
            if (mask[v] && Reliable[v])
            {
                sum += T2[v];
                count++;
            }
        }
        return count == 0 ? double.NaN : sum / count;
    }
}

/// <summary>What became of a voxel in a fit: a map stores 0 ms both for background and for an unreliable fit.</summary>
public enum VoxelFit : byte
{
    /// <summary>Background (signal under the noise floor) or outside the mask: not fitted.</summary>
    NotFitted = 0,
    Reliable = 1,
    /// <summary>Fitted, but the decay explains too little of the signal, or T2 lay outside the clip range.</summary>
    Unreliable = 2,
}
