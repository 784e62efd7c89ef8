namespace ReaderStudy.Web.Features.Reading;

/// <summary>The "Reading" configuration section.</summary>
public sealed class ReadingSettings
{
    public const string Section = "Reading";

    /// <summary>
    /// NEVER set in a real study. Sends each image's series description to the reader's browser, which can
    /// unblind the study; it exists so the blinding check can be shown to catch such a leak.
    /// </summary>
    public bool ExposeSeriesDescription { get; set; }
}
