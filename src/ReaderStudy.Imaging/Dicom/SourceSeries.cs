namespace ReaderStudy.Imaging.Dicom;

/// <summary>A series a derived series was computed from, and the MR image instances in it.</summary>
public sealed record SourceSeries(string SeriesInstanceUid, IReadOnlyList<string> SopInstanceUids);
