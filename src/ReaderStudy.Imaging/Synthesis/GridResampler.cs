using ReaderStudy.Imaging.Dicom;

namespace ReaderStudy.Imaging.Synthesis;

/// <summary>
/// Co-registers one series onto another's voxel grid by their DICOM geometry alone (Image Position, Image
/// Orientation, Pixel Spacing, slice positions): each target voxel's patient-space point is located in the
/// source volume and interpolated trilinearly (see <see cref="GridMapping"/>). Both must share a frame of reference;
/// no image-based registration is attempted, since series of one session share the scanner's patient coordinates.
/// </summary>
public static class GridResampler
{
    /// <param name="coverage">The fraction of target voxels that fell inside the source volume.</param>
    public static float[] Resample(VolumeGeometry source, float[] values, VolumeGeometry target, out double coverage) =>
        Resample(source, [values], target, out coverage)[0];

    /// <summary>Several series on one source grid (the inputs of one session often share it): each target voxel's
    /// place and weights are found once for all of them.</summary>
    public static float[][] Resample(VolumeGeometry source, IReadOnlyList<float[]> channels, VolumeGeometry target, out double coverage)
    {
        var mapping = new GridMapping(source, target);
        var outputs = channels.Select(_ => new float[target.Columns * target.Rows * target.Slices]).ToArray();
        mapping.Resample(channels, outputs, 0, target.Slices);
        coverage = mapping.Coverage();
        return outputs;
    }
}
