using System.ComponentModel.DataAnnotations;

namespace ReaderStudy.Web.Features.Import;

/// <summary>The "Import" configuration section.</summary>
public sealed class ImportSettings
{
    public const string Section = "Import";

    /// <summary>The largest upload accepted in one request, bytes (default 2 GiB).</summary>
    [Range(1024, long.MaxValue, ErrorMessage = "Import:MaxUploadBytes must be at least 1024.")]
    public long MaxUploadBytes { get; set; } = 2L << 30;
}
