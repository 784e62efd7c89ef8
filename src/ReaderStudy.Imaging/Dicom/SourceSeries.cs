namespace ReaderStudy.Imaging.Dicom;

/// <summary>
/// A series a derived series was computed from, and its image instances in slice order; for frames of an Enhanced
/// MR file, the instance is the file and <see cref="FrameNumbers"/> says which frame (Referenced Frame Number).
/// </summary>
public sealed record SourceSeries(string SeriesInstanceUid, IReadOnlyList<string> SopInstanceUids)
{
    public IReadOnlyList<int?> FrameNumbers { get; init; } = [];
    public string SopClassUid { get; init; } = DicomUids.MrImageStorage;

    /// <summary>The images a derived series was computed from, as they were read (a file, or a frame of one).</summary>
    public static SourceSeries Of(string seriesInstanceUid, IEnumerable<DicomImage> slices)
    {
        var images = slices.ToList();
        return new SourceSeries(seriesInstanceUid, [.. images.Select(i => i.SopInstanceUid)])
        {
            // A frame number refers into a multi-frame instance; a frame already split into its own file is that file.
            FrameNumbers = [.. images.Select(i => i.Path == i.SourcePath ? i.SourceFrame : null)],
            SopClassUid = images.FirstOrDefault()?.SopClassUid is { Length: > 0 } sopClass ? sopClass : DicomUids.MrImageStorage,
        };
    }
}
