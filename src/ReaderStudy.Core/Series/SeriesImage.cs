namespace ReaderStudy.Core.Series;

/// <summary>One stored DICOM file of a series: where it sits in the volume and its content address.</summary>
public sealed class SeriesImage
{
    public long Id { get; set; }
    public Guid SeriesId { get; set; }
    public string SopInstanceUid { get; set; } = "";
    /// <summary>SHA-256 of the stored (de-identified) file, hex; the key in the image store.</summary>
    public string ContentHash { get; set; } = "";
    /// <summary>SHA-256 of the original file, only when the coordinator chose to keep originals.</summary>
    public string? OriginalHash { get; set; }
    public long Bytes { get; set; }
    public int? InstanceNumber { get; set; }
    /// <summary>Distance along the slice normal, mm.</summary>
    public double SlicePosition { get; set; }
    public double? EchoTimeMs { get; set; }
}
