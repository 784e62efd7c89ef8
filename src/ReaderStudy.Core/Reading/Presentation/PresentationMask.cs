namespace ReaderStudy.Core.Reading.Presentation;

/// <summary>Which voxels are shown as background (no value) in both images of a pair.</summary>
public enum PresentationMask
{
    /// <summary>Only voxels that have no value (NaN, infinite) are background; each map keeps its own zeros.</summary>
    None,

    /// <summary>A voxel without a value (0, NaN, infinite) in either map of the pair is background in both.</summary>
    CommonSupport,
}
