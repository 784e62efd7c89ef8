namespace ReaderStudy.Core.Phantom;

/// <summary>How a pelvis phantom subject is drawn and "scanned" (axial slices through the sacroiliac joints).</summary>
public sealed record PelvisPhantomOptions
{
    /// <summary>Rows and columns of every series.</summary>
    public int Size { get; init; } = 192;
    public int Slices { get; init; } = 12;
    public int Seed { get; init; } = 1;
    /// <summary>Field of view, mm (a pelvis: about 360 mm).</summary>
    public double FieldOfViewMm { get; init; } = 360;
    public double SliceThicknessMm { get; init; } = 3;
    /// <summary>Noise σ of the T1-weighted MR, as a fraction of fat's signal.</summary>
    public double MrNoiseFraction { get; init; } = 0.01;
    /// <summary>Noise σ of the CT, HU.</summary>
    public double CtNoiseHu { get; init; } = 8;
    /// <summary>The fraction of subjects with an erosion of the iliac side of a sacroiliac joint.</summary>
    public double ErosionFraction { get; init; } = 0.5;
}
