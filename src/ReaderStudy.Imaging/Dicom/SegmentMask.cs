namespace ReaderStudy.Imaging.Dicom;

/// <summary>One segment of a segmentation: its number and label, and a voxel mask over a volume.</summary>
public sealed record SegmentMask(int Number, string Label, bool[] Mask);
