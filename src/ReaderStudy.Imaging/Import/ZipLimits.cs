namespace ReaderStudy.Imaging.Import;

/// <summary>How far one upload may unpack (Import:Zip* settings).</summary>
public sealed record ZipLimits
{
    /// <summary>All entries of all archives of one upload together, bytes.</summary>
    public long MaxUncompressedBytes { get; init; } = 4L << 30;

    public int MaxEntries { get; init; } = 50_000;

    /// <summary>An entry that unpacks to more than this many times its packed size is a bomb, not a DICOM file.</summary>
    public double MaxCompressionRatio { get; init; } = 200;
}
