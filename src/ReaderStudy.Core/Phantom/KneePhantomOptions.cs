namespace ReaderStudy.Core.Phantom;

/// <summary>How a knee phantom subject is drawn and "scanned".</summary>
public sealed record KneePhantomOptions
{
    /// <summary>Rows and columns of every series.</summary>
    public int Size { get; init; } = 256;
    public int Slices { get; init; } = 20;
    public int Seed { get; init; } = 1;
    /// <summary>Field of view, mm (OAI MESE: 120 mm).</summary>
    public double FieldOfViewMm { get; init; } = 120;
    public double SliceThicknessMm { get; init; } = 3;
    /// <summary>Rician noise σ as a fraction of the brightest noise-free first-echo signal.</summary>
    public double NoiseFraction { get; init; } = 0.01;
    /// <summary>Add focal lesions of raised T2 in the superficial central femoral cartilage.</summary>
    public bool Lesions { get; init; } = true;
    /// <summary>MESE echo times, ms (OAI: 7 echoes, 10 to 70 ms).</summary>
    public IReadOnlyList<double> EchoTimesMs { get; init; } = [10, 20, 30, 40, 50, 60, 70];
    public double MeseRepetitionTimeMs { get; init; } = 2700;
    /// <summary>Cartilage T2 at the bone (deep) and at the surface (superficial), ms.</summary>
    public double DeepT2Ms { get; init; } = 30;
    public double SuperficialT2Ms { get; init; } = 50;
    public double LesionT2IncreaseMs { get; init; } = 25;
}
