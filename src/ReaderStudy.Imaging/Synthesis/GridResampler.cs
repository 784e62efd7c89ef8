using ReaderStudy.Imaging.Dicom;

namespace ReaderStudy.Imaging.Synthesis;

/// <summary>
/// Co-registers one series onto another's voxel grid by their DICOM geometry alone (Image Position, Image
/// Orientation, Pixel Spacing, slice positions): each target voxel's patient-space point is located in the
/// source volume and interpolated trilinearly. Both must share a frame of reference; no image-based registration
/// is attempted, since series of one session share the scanner's patient coordinates.
/// </summary>
public static class GridResampler
{
    /// <summary>Voxels within half a voxel outside the source's outermost centres take the edge value; farther out, zero.</summary>
    private const double EdgeTolerance = 0.5;

    /// <param name="coverage">The fraction of target voxels that fell inside the source volume.</param>
    public static float[] Resample(VolumeGeometry source, float[] values, VolumeGeometry target, out double coverage) =>
        Resample(source, [values], target, out coverage)[0];

    /// <summary>Several series on one source grid (the inputs of one session often share it): each target voxel's
    /// place and weights are found once for all of them.</summary>
    public static float[][] Resample(VolumeGeometry source, IReadOnlyList<float[]> channels, VolumeGeometry target, out double coverage)
    {
        var (targetRow, targetColumn, targetNormal) = (target.RowDirection, target.ColumnDirection, target.Normal);
        var (sourceRow, sourceColumn, sourceNormal) = (source.RowDirection, source.ColumnDirection, source.Normal);
        // Continuous source index of a patient point p: ((p−O)·R / Δc, (p−O)·C / Δr, (p−O)·N / Δs), directions orthonormal.
        double[][] toIndex =
        [
            [.. sourceRow.Select(v => v / source.ColumnSpacing)],
            [.. sourceColumn.Select(v => v / source.RowSpacing)],
            [.. sourceNormal.Select(v => v / source.SliceSpacing)],
        ];
        double Project(int axis, double[] vector) => toIndex[axis][0] * vector[0] + toIndex[axis][1] * vector[1] + toIndex[axis][2] * vector[2];
        // A step of one target column moves the source index by a constant amount: the mapping is affine.
        double[] columnStep = [.. Enumerable.Range(0, 3).Select(axis => Project(axis, [.. targetRow.Select(v => v * target.ColumnSpacing)]))];
        double[] rowStep = [.. Enumerable.Range(0, 3).Select(axis => Project(axis, [.. targetColumn.Select(v => v * target.RowSpacing)]))];
        double[] sliceStep = [.. Enumerable.Range(0, 3).Select(axis => Project(axis, [.. targetNormal.Select(v => v * target.SliceSpacing)]))];
        double[] start = [.. Enumerable.Range(0, 3).Select(axis => Project(axis, [.. Enumerable.Range(0, 3).Select(i => target.Origin[i] - source.Origin[i])]))];

        var outputs = channels.Select(_ => new float[target.Columns * target.Rows * target.Slices]).ToArray();
        var inside = 0L;
        // Slices on every core: each target voxel is sampled on its own, so the result does not depend on the split.
        Parallel.For(0, target.Slices, () => 0L, (s, _, slicesInside) =>
        {
            var index = s * target.Rows * target.Columns;
            for (var r = 0; r < target.Rows; r++)
            {
                var x = start[0] + r * rowStep[0] + s * sliceStep[0];
                var y = start[1] + r * rowStep[1] + s * sliceStep[1];
                var z = start[2] + r * rowStep[2] + s * sliceStep[2];
                for (var c = 0; c < target.Columns; c++, index++)
                {
                    if (!Corners(source, x + c * columnStep[0], y + c * columnStep[1], z + c * columnStep[2], out var corners))
                    {
                        continue;
                    }
                    for (var k = 0; k < channels.Count; k++)
                    {
                        outputs[k][index] = corners.Interpolate(channels[k]);
                    }
                    slicesInside++;
                }
            }
            return slicesInside;
        }, slicesInside => Interlocked.Add(ref inside, slicesInside));
        coverage = outputs[0].Length == 0 ? 0 : (double)inside / outputs[0].Length;
        return outputs;
    }

    /// <summary>The eight source voxels around a point (offsets into a volume) and its fractions between them.</summary>
    private readonly record struct Cell(int X0, int X1, int Y0, int Y1, int Z0, int Z1, double Fx, double Fy, double Fz)
    {
        public float Interpolate(float[] values) => (float)((1 - Fz) * Plane(values, Z0) + Fz * Plane(values, Z1));

        private double Plane(float[] values, int z) =>
            (1 - Fy) * ((1 - Fx) * values[z + Y0 + X0] + Fx * values[z + Y0 + X1]) + Fy * ((1 - Fx) * values[z + Y1 + X0] + Fx * values[z + Y1 + X1]);
    }

    private static bool Corners(VolumeGeometry source, double x, double y, double z, out Cell cell)
    {
        cell = default;
        if (!Within(ref x, source.Columns) || !Within(ref y, source.Rows) || !Within(ref z, source.Slices))
        {
            return false;
        }
        var (x0, y0, z0) = ((int)x, (int)y, (int)z);
        var (x1, y1, z1) = (Math.Min(x0 + 1, source.Columns - 1), Math.Min(y0 + 1, source.Rows - 1), Math.Min(z0 + 1, source.Slices - 1));
        var sliceLength = source.Columns * source.Rows;
        cell = new Cell(x0, x1, y0 * source.Columns, y1 * source.Columns, z0 * sliceLength, z1 * sliceLength, x - x0, y - y0, z - z0);
        return true;
    }

    private static bool Within(ref double coordinate, int count)
    {
        if (coordinate < -EdgeTolerance || coordinate > count - 1 + EdgeTolerance)
        {
            return false;
        }
        coordinate = Math.Clamp(coordinate, 0, count - 1);
        return true;
    }
}
