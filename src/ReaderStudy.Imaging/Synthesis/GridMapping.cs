using System.Runtime.CompilerServices;
using ReaderStudy.Imaging.Dicom;

namespace ReaderStudy.Imaging.Synthesis;

/// <summary>
/// Where each voxel of a target grid lies in a source volume, by DICOM geometry alone (an affine map between their
/// indices): how much of the target the source covers, which source slices a run of target slices reads, and the
/// trilinear resampling of any run of target slices, so that a map's slices can be resampled batch by batch.
/// </summary>
public sealed class GridMapping
{
    /// <summary>Voxels within half a voxel outside the source's outermost centres take the edge value; farther out, zero.</summary>
    private const double EdgeTolerance = 0.5;

    private readonly VolumeGeometry source;
    private readonly VolumeGeometry target;
    private readonly double[] start;
    private readonly double[] columnStep;
    private readonly double[] rowStep;
    private readonly double[] sliceStep;
    private readonly AlignedAxes? aligned;

    public GridMapping(VolumeGeometry source, VolumeGeometry target)
        : this(source, target, general: false)
    {
    }

    /// <param name="general">Every voxel placed on its own even where the grids are aligned (to test the aligned path against it).</param>
    internal GridMapping(VolumeGeometry source, VolumeGeometry target, bool general)
    {
        (this.source, this.target) = (source, target);
        // Continuous source index of a patient point p: ((p−O)·R / Δc, (p−O)·C / Δr, (p−O)·N / Δs), directions orthonormal.
        double[][] toIndex =
        [
            [.. source.RowDirection.Select(v => v / source.ColumnSpacing)],
            [.. source.ColumnDirection.Select(v => v / source.RowSpacing)],
            [.. source.Normal.Select(v => v / source.SliceSpacing)],
        ];
        double Project(int axis, double[] vector) => toIndex[axis][0] * vector[0] + toIndex[axis][1] * vector[1] + toIndex[axis][2] * vector[2];
        // A step of one target column moves the source index by a constant amount: the mapping is affine.
        columnStep = [.. Enumerable.Range(0, 3).Select(axis => Project(axis, [.. target.RowDirection.Select(v => v * target.ColumnSpacing)]))];
        rowStep = [.. Enumerable.Range(0, 3).Select(axis => Project(axis, [.. target.ColumnDirection.Select(v => v * target.RowSpacing)]))];
        sliceStep = [.. Enumerable.Range(0, 3).Select(axis => Project(axis, [.. target.Normal.Select(v => v * target.SliceSpacing)]))];
        start = [.. Enumerable.Range(0, 3).Select(axis => Project(axis, [.. Enumerable.Range(0, 3).Select(i => target.Origin[i] - source.Origin[i])]))];
        aligned = general ? null : AlignedAxes.Of(start, columnStep, rowStep, sliceStep, source, target);
    }

    /// <summary>Whether the grids' axes are parallel, so that places and weights are found per axis (<see cref="AlignedAxes"/>).</summary>
    internal bool Aligned => aligned is not null;

    /// <summary>The fraction of target voxels that fall inside the source volume.</summary>
    public double Coverage()
    {
        if (aligned is not null)
        {
            return aligned.Coverage();
        }
        var inside = 0L;
        Parallel.For(0, target.Slices, () => 0L, (s, _, count) =>
        {
            for (var r = 0; r < target.Rows; r++)
            {
                for (var c = 0; c < target.Columns; c++)
                {
                    var (x, y, z) = SourceIndex(s, r, c);
                    if (Within(ref x, source.Columns) && Within(ref y, source.Rows) && Within(ref z, source.Slices))
                    {
                        count++;
                    }
                }
            }
            return count;
        }, count => Interlocked.Add(ref inside, count));
        var voxels = (long)target.Slices * target.Rows * target.Columns;
        return voxels == 0 ? 0 : (double)inside / voxels;
    }

    /// <summary>How many source slices, from the first, target slices 0 to <paramref name="targetSlices"/> − 1 may read.</summary>
    public int SourceSlicesFor(int targetSlices)
    {
        if (targetSlices <= 0)
        {
            return 0;
        }
        // Affine: over a run of target slices the source slice index is largest at one of the run's eight corners.
        var deepest = double.MinValue;
        foreach (var s in new[] { 0, targetSlices - 1 })
        {
            foreach (var r in new[] { 0, target.Rows - 1 })
            {
                foreach (var c in new[] { 0, target.Columns - 1 })
                {
                    deepest = Math.Max(deepest, SourceIndex(s, r, c).Z);
                }
            }
        }
        return (int)Math.Clamp(Math.Floor(deepest + EdgeTolerance) + 2, 1, source.Slices);
    }

    /// <summary>Resamples target slices <paramref name="from"/> to <paramref name="to"/> − 1 of every channel (all on the source
    /// grid) into <paramref name="outputs"/> (target-sized, zero where the source does not reach).</summary>
    public void Resample(IReadOnlyList<float[]> channels, float[][] outputs, int from, int to)
    {
        if (aligned is not null)
        {
            aligned.Resample(channels, outputs, from, to);
            return;
        }
        // Slices on every core: each target voxel is sampled on its own, so the result does not depend on the split.
        Parallel.For(from, to, s =>
        {
            var index = s * target.Rows * target.Columns;
            for (var r = 0; r < target.Rows; r++)
            {
                for (var c = 0; c < target.Columns; c++, index++)
                {
                    var (x, y, z) = SourceIndex(s, r, c);
                    if (!Corners(x, y, z, out var corners))
                    {
                        continue;
                    }
                    for (var k = 0; k < channels.Count; k++)
                    {
                        outputs[k][index] = corners.Interpolate(channels[k]);
                    }
                }
            }
        });
    }

    private (double X, double Y, double Z) SourceIndex(int s, int r, int c) =>
        (start[0] + r * rowStep[0] + s * sliceStep[0] + c * columnStep[0],
         start[1] + r * rowStep[1] + s * sliceStep[1] + c * columnStep[1],
         start[2] + r * rowStep[2] + s * sliceStep[2] + c * columnStep[2]);

    /// <summary>The eight source voxels around a point (offsets into a volume) and its fractions between them.</summary>
    private readonly record struct Cell(int X0, int X1, int Y0, int Y1, int Z0, int Z1, double Fx, double Fy, double Fz)
    {
        public float Interpolate(float[] values) => (float)Between(Plane(values, Z0), Plane(values, Z1), Fz);

        private double Plane(float[] values, int z) =>
            Between(Between(values[z + Y0 + X0], values[z + Y0 + X1], Fx), Between(values[z + Y1 + X0], values[z + Y1 + X1], Fx), Fy);
    }

    /// <summary>The value a fraction <paramref name="f"/> of the way from <paramref name="a"/> to <paramref name="b"/>: the one
    /// interpolation step of every path, so that they give the same values to the bit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double Between(double a, double b, double f) => (1 - f) * a + f * b;

    private bool Corners(double x, double y, double z, out Cell cell)
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

    internal static bool Within(ref double coordinate, int count)
    {
        if (coordinate < -EdgeTolerance || coordinate > count - 1 + EdgeTolerance)
        {
            return false;
        }
        coordinate = Math.Clamp(coordinate, 0, count - 1);
        return true;
    }
}
