namespace ReaderStudy.Imaging.Dicom;

/// <summary>A series assembled into a volume: geometry from the headers, slices sorted along the normal.</summary>
public sealed record LoadedVolume(string SeriesInstanceUid, string SeriesDescription, VolumeGeometry Geometry, float[] Values, IReadOnlyList<DicomImage> Slices);
