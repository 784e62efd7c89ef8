namespace ReaderStudy.Core.Phantom;

/// <summary>How a mammography phantom subject is drawn: one craniocaudal view, real and synthetic.</summary>
public sealed record MammographyPhantomOptions
{
    public int Rows { get; init; } = 1280;
    public int Columns { get; init; } = 1024;
    /// <summary>Detector pixel spacing, mm (full-field digital mammography: 0.07 to 0.1 mm at about 3000×4000).</summary>
    public double PixelMm { get; init; } = 0.2;
    public int Seed { get; init; } = 1;
    /// <summary>Quantum noise σ on the 12-bit scale.</summary>
    public double NoiseSigma { get; init; } = 20;
}
