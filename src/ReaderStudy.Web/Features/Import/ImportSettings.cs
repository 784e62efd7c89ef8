using System.ComponentModel.DataAnnotations;

namespace ReaderStudy.Web.Features.Import;

/// <summary>The "Import" configuration section.</summary>
public sealed class ImportSettings
{
    public const string Section = "Import";

    /// <summary>The largest upload accepted in one request, bytes (default 2 GiB).</summary>
    [Range(1024, long.MaxValue, ErrorMessage = "Import:MaxUploadBytes must be at least 1024.")]
    public long MaxUploadBytes { get; set; } = 2L << 30;

    /// <summary>What the zip archives of one upload may unpack to, bytes (default 4 GiB).</summary>
    [Range(1024, long.MaxValue, ErrorMessage = "Import:ZipMaxUncompressedBytes must be at least 1024.")]
    public long ZipMaxUncompressedBytes { get; set; } = 4L << 30;

    /// <summary>Files in the zip archives of one upload (default 50,000).</summary>
    [Range(1, int.MaxValue, ErrorMessage = "Import:ZipMaxEntries must be at least 1.")]
    public int ZipMaxEntries { get; set; } = 50_000;

    /// <summary>The largest unpacked-to-packed ratio of a zip entry over 1 MiB (default 200).</summary>
    [Range(2, 100_000, ErrorMessage = "Import:ZipMaxCompressionRatio must lie between 2 and 100000.")]
    public double ZipMaxCompressionRatio { get; set; } = 200;

    public ReaderStudy.Imaging.Import.ZipLimits ZipLimits() =>
        new() { MaxUncompressedBytes = ZipMaxUncompressedBytes, MaxEntries = ZipMaxEntries, MaxCompressionRatio = ZipMaxCompressionRatio };
}
