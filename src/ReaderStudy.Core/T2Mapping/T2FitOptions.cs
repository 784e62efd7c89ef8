namespace ReaderStudy.Core.T2Mapping;

/// <summary>The fitting choices the field uses; defaults suit femoral cartilage at 3 T.</summary>
public sealed record T2FitOptions
{
    public T2FitMethod Method { get; init; } = T2FitMethod.LogLinear;
    /// <summary>Leave out the first echo, whose signal carries stimulated-echo contamination.</summary>
    public bool ExcludeFirstEcho { get; init; }
    /// <summary>Echoes whose signal is below this are left out of a voxel's fit (noise floor).</summary>
    public double NoiseFloor { get; init; }
    /// <summary>Nonlinear only: fit a constant offset C as a third parameter.</summary>
    public bool FitNoiseOffset { get; init; }
    /// <summary>T2 values outside [ClipMin, ClipMax] ms are clipped and the voxel marked unreliable.</summary>
    public double ClipMin { get; init; }
    public double ClipMax { get; init; } = 100;
    /// <summary>Voxels whose fit explains less than this share of the signal variance are unreliable.</summary>
    public double MinR2 { get; init; } = 0.8;
    /// <summary>Fit only where true (e.g. the cartilage segmentation); null fits every voxel that is not background.</summary>
    public bool[]? Mask { get; init; }
    /// <summary>
    /// Without a mask, voxels whose first fitted echo is below this fraction of the bright tissue's signal are
    /// background: not fitted (T2 0, unreliable) and counted apart. 0 fits every voxel; a mask turns it off.
    /// </summary>
    public double BackgroundFraction { get; init; } = 0.05;
    public int MaxIterations { get; init; } = 50;
}
