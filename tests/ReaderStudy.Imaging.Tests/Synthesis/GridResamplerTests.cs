using ReaderStudy.Imaging.Dicom;
using ReaderStudy.Imaging.Synthesis;

namespace ReaderStudy.Imaging.Tests.Synthesis;

/// <summary>Trilinear interpolation reproduces a linear field exactly, so a linear intensity ramp checks the geometry.</summary>
public sealed class GridResamplerTests
{
    private static double Ramp(double[] p) => 2 * p[0] - 3 * p[1] + 0.5 * p[2] + 40;

    internal static double[] PointOf(VolumeGeometry g, int column, int row, int slice)
    {
        var n = g.Normal;
        return [.. Enumerable.Range(0, 3).Select(i => g.Origin[i] + column * g.ColumnSpacing * g.RowDirection[i]
            + row * g.RowSpacing * g.ColumnDirection[i] + slice * g.SliceSpacing * n[i])];
    }

    internal static float[] Sample(VolumeGeometry g, Func<double[], double> field)
    {
        var values = new float[g.Columns * g.Rows * g.Slices];
        var index = 0;
        for (var s = 0; s < g.Slices; s++)
        {
            for (var r = 0; r < g.Rows; r++)
            {
                for (var c = 0; c < g.Columns; c++)
                {
                    values[index++] = (float)field(PointOf(g, c, r, s));
                }
            }
        }
        return values;
    }

    [Fact]
    public void LinearField_OnACoarserOffsetGrid_IsReproducedOnTheTargetGrid()
    {
        var target = VolumeGeometry.Sagittal(size: 24, slices: 5, inPlaneMm: 0.5, sliceMm: 2);
        // Twice the pixel size, a shifted origin and slices half-way between the target's: nothing lines up.
        var source = target with
        {
            Columns = 16, Rows = 16, Slices = 6, ColumnSpacing = 1, RowSpacing = 1, SliceSpacing = 2,
            Origin = [target.Origin[0] + 1, target.Origin[1] - 1.25, target.Origin[2] + 1.5],
        };

        var resampled = GridResampler.Resample(source, Sample(source, Ramp), target, out var coverage);

        var expected = Sample(target, Ramp);
        Assert.Equal(1.0, coverage);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(resampled[i] - expected[i]) < 1e-3, $"voxel {i}: {resampled[i]} vs {expected[i]}");
        }
    }

    [Fact]
    public void ObliqueTarget_IsLocatedInTheSourceByPatientCoordinates()
    {
        var source = VolumeGeometry.Sagittal(size: 40, slices: 12, inPlaneMm: 0.5, sliceMm: 1);
        var (cos, sin) = (Math.Cos(0.3), Math.Sin(0.3));
        // Rotated 0.3 rad about the left-right axis and well inside the source.
        var target = source with
        {
            Columns = 10, Rows = 10, Slices = 3, ColumnSpacing = 0.7, RowSpacing = 0.6, SliceSpacing = 1.5,
            Origin = [source.Origin[0] - 5, source.Origin[1] + 6, source.Origin[2] - 6],
            RowDirection = [0, cos, -sin], ColumnDirection = [0, sin, cos],
        };

        var resampled = GridResampler.Resample(source, Sample(source, Ramp), target, out var coverage);

        var expected = Sample(target, Ramp);
        Assert.Equal(1.0, coverage);
        Assert.All(expected.Zip(resampled), p => Assert.InRange(p.Second, p.First - 1e-3, p.First + 1e-3));
    }

    [Fact]
    public void TargetVoxelsOutsideTheSource_AreZero_AndCountAgainstCoverage()
    {
        var target = VolumeGeometry.Sagittal(size: 10, slices: 2, inPlaneMm: 1, sliceMm: 1);
        // The source covers only the first 5 columns of the target (its columns run along RowDirection).
        var source = target with { Columns = 5 };

        var resampled = GridResampler.Resample(source, Sample(source, _ => 7), target, out var coverage);

        Assert.Equal(0.5, coverage, 6);
        Assert.Equal(7f, resampled[4]);
        Assert.Equal(0f, resampled[5]);
    }

    [Fact]
    public void SeriesOnOneGrid_ResampledTogether_AreEachAsResampledAlone()
    {
        var target = VolumeGeometry.Sagittal(size: 24, slices: 7, inPlaneMm: 0.5, sliceMm: 2);
        // Partly outside the target, so the voxels left at zero must agree too.
        var source = target with
        {
            Columns = 16, Rows = 14, Slices = 6, ColumnSpacing = 0.9, RowSpacing = 1.1, SliceSpacing = 2,
            Origin = [target.Origin[0] + 1, target.Origin[1] + 3.25, target.Origin[2] + 1.5],
        };
        // Not linear, so an interpolation weight given to the wrong corner shows.
        float[][] series = [Sample(source, p => Math.Sin(p[0]) * Math.Cos(p[1]) + p[2] * p[2]), Sample(source, p => Math.Exp(-0.01 * p[1] * p[1])), Sample(source, _ => 7)];

        var together = GridResampler.Resample(source, series, target, out var coverage);

        Assert.InRange(coverage, 0.05, 0.95);
        for (var k = 0; k < series.Length; k++)
        {
            var alone = GridResampler.Resample(source, series[k], target, out var aloneCoverage);
            Assert.Equal(coverage, aloneCoverage);
            Assert.Equal(alone, together[k]);
        }
        Assert.Contains(7f, together[2]);
        Assert.Contains(0f, together[2]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ARunOfTargetSlices_ReadsOnlyTheSourceSlicesItIsSaidToNeed(bool reversed)
    {
        // Batch by batch, the model waits only for the source slices a run of target slices needs: values in any source
        // slice beyond them (NaN here) must not reach those target slices. Reversed: the target's slices run against the
        // source's, so its first slices need the last source slices, and the whole stack.
        var source = VolumeGeometry.Sagittal(size: 16, slices: 12, inPlaneMm: 1, sliceMm: 1.5);
        var target = source with
        {
            Columns = 20, Rows = 20, Slices = 9, ColumnSpacing = 0.8, RowSpacing = 0.8, SliceSpacing = 2,
            Origin = [source.Origin[0] + 0.7, source.Origin[1] + 0.3, source.Origin[2] - 0.4],
        };
        if (reversed)
        {
            // The same slab, stacked from the far end: the normal flips with the row direction.
            var last = PointOf(target, 0, 0, target.Slices - 1);
            target = target with { Origin = [.. last.Zip(target.RowDirection, (p, r) => p + (target.Columns - 1) * target.ColumnSpacing * r)],
                RowDirection = [.. target.RowDirection.Select(v => -v)] };
        }
        var mapping = new GridMapping(source, target);
        var sliceLength = source.Columns * source.Rows;
        var field = Sample(source, p => p[0] + 2 * p[1] + 3 * p[2]);
        for (var run = 1; run <= target.Slices; run++)
        {
            var needed = mapping.SourceSlicesFor(run);
            Assert.InRange(needed, 1, source.Slices);
            var partial = field.ToArray();
            Array.Fill(partial, float.NaN, needed * sliceLength, partial.Length - needed * sliceLength);
            var outputs = new[] { new float[target.Columns * target.Rows * target.Slices] };

            mapping.Resample([partial], outputs, 0, run);

            Assert.DoesNotContain(outputs[0][..(run * target.Rows * target.Columns)], float.IsNaN);
        }
        if (reversed)
        {
            Assert.True(mapping.SourceSlicesFor(1) > source.Slices / 2, $"the first target slice, at the far end, needs {mapping.SourceSlicesFor(1)} of {source.Slices} source slices");
        }
        else
        {
            Assert.True(mapping.SourceSlicesFor(1) < source.Slices / 2, $"the first target slice needs {mapping.SourceSlicesFor(1)} of {source.Slices} source slices");
        }
    }

    public static TheoryData<string> AlignedPairs() => ["coarser, offset, slices between", "finer in plane, slices on slices", "stacked the other way", "partly outside"];

    private static (VolumeGeometry Source, VolumeGeometry Target) AlignedPair(string name)
    {
        var source = VolumeGeometry.Sagittal(size: 20, slices: 8, inPlaneMm: 1, sliceMm: 2);
        var target = name switch
        {
            "coarser, offset, slices between" => source with { Columns = 30, Rows = 28, Slices = 6, ColumnSpacing = 0.6, RowSpacing = 0.55, SliceSpacing = 2.5,
                Origin = [source.Origin[0] + 0.7, source.Origin[1] + 1.3, source.Origin[2] - 2.1] },
            "finer in plane, slices on slices" => source with { ColumnSpacing = 0.9, RowSpacing = 0.9, Origin = [.. source.Origin.Zip(source.RowDirection, (o, r) => o + 2 * r)] },
            // Columns and slices run against the source's (the normal flips with the row direction).
            "stacked the other way" => source with { Columns = 18, Slices = 7, ColumnSpacing = 1.1, RowDirection = [0, -1, 0],
                Origin = [source.Origin[0] - 13.5, source.Origin[1] + 19, source.Origin[2] - 0.4] },
            _ => source with { Columns = 24, Rows = 16, Slices = 10, Origin = [source.Origin[0] - 5, source.Origin[1] + 6.5, source.Origin[2] - 3.2] },
        };
        return (source, target);
    }

    [Theory]
    [MemberData(nameof(AlignedPairs))]
    public void AlignedGrids_AreResampledPerAxis_ToTheSameValuesAsPlacingEachVoxel(string pair)
    {
        // The aligned path finds places and weights once per axis and reads one source slice where a target slice lies on
        // it; every value must still be the general path's, to the bit (a weight on the wrong corner, an axis swapped, or a
        // slice's fraction dropped would show: the field is not linear).
        var (source, target) = AlignedPair(pair);
        float[][] series = [Sample(source, p => Math.Sin(0.7 * p[0]) * Math.Cos(0.3 * p[1]) + 0.01 * p[2] * p[2]), Sample(source, p => Math.Exp(-0.02 * p[1] * p[1]) * (p[0] + 3))];
        var (aligned, general) = (new GridMapping(source, target), new GridMapping(source, target, general: true));
        float[][] Resampled(GridMapping mapping)
        {
            float[][] outputs = [.. series.Select(_ => new float[target.Columns * target.Rows * target.Slices])];
            // In runs of three slices, as the model's batches ask for them.
            for (var from = 0; from < target.Slices; from += 3)
            {
                mapping.Resample(series, outputs, from, Math.Min(from + 3, target.Slices));
            }
            return outputs;
        }

        Assert.True(aligned.Aligned);
        Assert.False(general.Aligned);
        Assert.Equal(general.Coverage(), aligned.Coverage());
        var (expected, actual) = (Resampled(general), Resampled(aligned));
        for (var k = 0; k < series.Length; k++)
        {
            Assert.Equal(expected[k], actual[k]);
        }
        Assert.Contains(expected[0], v => v != 0);
        if (pair == "partly outside")
        {
            Assert.InRange(aligned.Coverage(), 0.05, 0.95);
        }
    }

    [Fact]
    public void AGridTurnedByAHundredthOfADegree_IsNotTakenAsAligned_WhileRoundingInTheCosinesIs()
    {
        var source = VolumeGeometry.Sagittal(size: 256, slices: 32, inPlaneMm: 0.5, sliceMm: 3);
        var turn = 0.01 * Math.PI / 180;
        var turned = source with { RowDirection = [0, Math.Cos(turn), Math.Sin(turn)], ColumnDirection = [0, Math.Sin(turn), -Math.Cos(turn)] };
        // What a header's decimal strings leave: cosines off by about 1e-10.
        var rounded = source with { RowDirection = [1e-10, 1, -1e-10], ColumnDirection = [-1e-10, 1e-10, -1] };
        var field = Sample(source, p => 3 * p[0] - p[1] + 0.5 * p[2]);

        Assert.False(new GridMapping(source, turned).Aligned);
        var mapping = new GridMapping(source, rounded);
        Assert.True(mapping.Aligned);
        var outputs = new[] { new float[field.Length] };
        mapping.Resample([field], outputs, 0, source.Slices);
        var expected = Sample(rounded, p => 3 * p[0] - p[1] + 0.5 * p[2]);
        var inside = Enumerable.Range(0, field.Length).Where(i => outputs[0][i] != 0).ToList();
        Assert.True(inside.Count > field.Length * 0.99, $"{inside.Count} of {field.Length} voxels inside");
        Assert.All(inside, i => Assert.InRange(outputs[0][i], expected[i] - 1e-2, expected[i] + 1e-2));
    }
}
