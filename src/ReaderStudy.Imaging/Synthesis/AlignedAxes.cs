using ReaderStudy.Imaging.Dicom;

namespace ReaderStudy.Imaging.Synthesis;

/// <summary>
/// A mapping between two grids whose axes are parallel, as one session's series in one orientation usually are (they
/// differ in field of view, matrix or slice spacing): a target column then reads the same two source columns on every
/// row and slice, and likewise each row and slice, so places and weights are found once per axis instead of once per
/// voxel, and a target slice that falls on a source slice reads that slice alone. Each voxel's value is the same
/// arithmetic (<see cref="GridMapping.Between"/>), in the same order, as the general trilinear path in <see cref="GridMapping"/>.
/// </summary>
internal sealed class AlignedAxes
{
    /// <summary>Off-axis drift (in source voxels, over the whole target) below which two grids count as aligned.</summary>
    private const double AlignedWithin = 1e-6;

    /// <summary>Along one axis: the target indices inside the source (a run, the map being monotone) and, for each, the two source indices around it.</summary>
    private sealed record Axis(int From, int To, int[] Lower, int[] Upper, double[] Fraction)
    {
        public int Inside => To - From;
    }

    private readonly Axis columns, rows, slices;
    private readonly int sourceColumns, sourcePlane, targetColumns, targetRows;

    private AlignedAxes(Axis columns, Axis rows, Axis slices, VolumeGeometry source, VolumeGeometry target) =>
        (this.columns, this.rows, this.slices, sourceColumns, sourcePlane, targetColumns, targetRows) =
        (columns, rows, slices, source.Columns, source.Columns * source.Rows, target.Columns, target.Rows);

    /// <summary>The aligned form of the affine map (source index = start + column·columnStep + row·rowStep + slice·sliceStep), or null when the grids are turned against each other.</summary>
    public static AlignedAxes? Of(double[] start, double[] columnStep, double[] rowStep, double[] sliceStep, VolumeGeometry source, VolumeGeometry target)
    {
        double[][] steps = [columnStep, rowStep, sliceStep];
        int[] extents = [target.Columns, target.Rows, target.Slices];
        for (var axis = 0; axis < 3; axis++)
        {
            var drift = Enumerable.Range(0, 3).Where(other => other != axis).Sum(other => Math.Abs(steps[other][axis]) * Math.Max(extents[other] - 1, 0));
            if (drift > AlignedWithin)
            {
                return null;
            }
        }
        Axis Along(int axis, int count) => AxisOf(start[axis], steps[axis][axis], extents[axis], count);
        return new AlignedAxes(Along(0, source.Columns), Along(1, source.Rows), Along(2, source.Slices), source, target);
    }

    private static Axis AxisOf(double start, double step, int targetCount, int sourceCount)
    {
        var (lower, upper, fraction) = (new int[targetCount], new int[targetCount], new double[targetCount]);
        var (from, to) = (targetCount, 0);
        for (var i = 0; i < targetCount; i++)
        {
            var x = start + i * step;
            if (!GridMapping.Within(ref x, sourceCount))
            {
                continue;
            }
            (from, to) = (Math.Min(from, i), Math.Max(to, i + 1));
            lower[i] = (int)x;
            upper[i] = Math.Min(lower[i] + 1, sourceCount - 1);
            fraction[i] = x - lower[i];
        }
        return new Axis(Math.Min(from, to), to, lower, upper, fraction);
    }

    public double Coverage() =>
        (double)columns.Inside * rows.Inside * slices.Inside / ((double)columns.Lower.Length * rows.Lower.Length * slices.Lower.Length);

    /// <summary>As <see cref="GridMapping.Resample"/>.</summary>
    public void Resample(IReadOnlyList<float[]> channels, float[][] outputs, int from, int to)
    {
        Parallel.For(Math.Max(from, slices.From), Math.Min(to, slices.To), s =>
        {
            var (z0, z1, fz) = (slices.Lower[s] * sourcePlane, slices.Upper[s] * sourcePlane, slices.Fraction[s]);
            for (var r = rows.From; r < rows.To; r++)
            {
                var (y0, y1, fy) = (rows.Lower[r] * sourceColumns, rows.Upper[r] * sourceColumns, rows.Fraction[r]);
                var at = (s * targetRows + r) * targetColumns + columns.From;
                for (var k = 0; k < channels.Count; k++)
                {
                    var row = outputs[k].AsSpan(at, columns.Inside);
                    var values = channels[k];
                    if (fz == 0)
                    {
                        // (1 − 0)·P0 + 0·P1 is P0 for any finite P1: the slice lies on a source slice, and only that one is read.
                        OnePlane(values.AsSpan(z0 + y0, sourceColumns), values.AsSpan(z0 + y1, sourceColumns), fy, row);
                    }
                    else
                    {
                        TwoPlanes(values.AsSpan(z0 + y0, sourceColumns), values.AsSpan(z0 + y1, sourceColumns),
                            values.AsSpan(z1 + y0, sourceColumns), values.AsSpan(z1 + y1, sourceColumns), fy, fz, row);
                    }
                }
            }
        });
    }

    private void OnePlane(ReadOnlySpan<float> lowerRow, ReadOnlySpan<float> upperRow, double fy, Span<float> output)
    {
        var lower = columns.Lower.AsSpan(columns.From, output.Length);
        var upper = columns.Upper.AsSpan(columns.From, output.Length);
        var fraction = columns.Fraction.AsSpan(columns.From, output.Length);
        for (var c = 0; c < output.Length; c++)
        {
            output[c] = (float)Plane(lowerRow, upperRow, lower[c], upper[c], fraction[c], fy);
        }
    }

    private void TwoPlanes(ReadOnlySpan<float> lowerRow, ReadOnlySpan<float> upperRow, ReadOnlySpan<float> nextLowerRow, ReadOnlySpan<float> nextUpperRow,
        double fy, double fz, Span<float> output)
    {
        var lower = columns.Lower.AsSpan(columns.From, output.Length);
        var upper = columns.Upper.AsSpan(columns.From, output.Length);
        var fraction = columns.Fraction.AsSpan(columns.From, output.Length);
        for (var c = 0; c < output.Length; c++)
        {
            output[c] = (float)GridMapping.Between(Plane(lowerRow, upperRow, lower[c], upper[c], fraction[c], fy),
                Plane(nextLowerRow, nextUpperRow, lower[c], upper[c], fraction[c], fy), fz);
        }
    }

    private static double Plane(ReadOnlySpan<float> lowerRow, ReadOnlySpan<float> upperRow, int x0, int x1, double fx, double fy) =>
        GridMapping.Between(GridMapping.Between(lowerRow[x0], lowerRow[x1], fx), GridMapping.Between(upperRow[x0], upperRow[x1], fx), fy);
}
