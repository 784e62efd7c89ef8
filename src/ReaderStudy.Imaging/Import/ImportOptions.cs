using ReaderStudy.Imaging.Dicom;

namespace ReaderStudy.Imaging.Import;

public sealed record ImportOptions
{
    public DeidentificationOptions Deidentification { get; init; } = new();
    /// <summary>Also store the original, identifiable files (only when the coordinator explicitly chooses so).</summary>
    public bool KeepOriginals { get; init; }

    public ZipLimits ZipLimits { get; init; } = new();
}
