using ReaderStudy.Core.Synthesis;
using ReaderStudy.Imaging.Dicom;
using ReaderStudy.Imaging.Synthesis;
using ReaderStudy.Testing;

namespace ReaderStudy.Imaging.Tests.Synthesis;

/// <summary>Co-registration as the model comes to each batch, over inputs still being read.</summary>
public sealed class CoRegistrationPlanTests
{
    [Fact]
    public void EachRunOfTargetSlices_WaitsForEveryInputSliceItIsMadeFrom_AndEndsAsTheWholeResampling()
    {
        var target = VolumeGeometry.Sagittal(size: 24, slices: 12, inPlaneMm: 0.5, sliceMm: 1);
        var other = target with
        {
            Columns = 16, Rows = 16, Slices = 10, ColumnSpacing = 1, RowSpacing = 1, SliceSpacing = 1.3,
            Origin = [target.Origin[0] + 0.3, target.Origin[1] - 0.2, target.Origin[2] + 0.25],
        };
        var manifest = TestModels.AffineManifest() with { Channels = [new GeneratorChannel("first"), new GeneratorChannel("second")] };
        var plan = CoRegistrationPlan.For([(target, "1.2.3"), (other, "1.2.3")], target, "1.2.3", "first", manifest);
        Assert.Equal(["second"], plan.CoRegistered);
        float[][] read = [GridResamplerTests.Sample(target, p => p[0] + p[1]), GridResamplerTests.Sample(other, p => Math.Sin(p[0]) + p[1] * p[2])];
        // Nothing decoded yet: a slice holds its values only once the plan has waited for it, as a streamed read gives them.
        float[][] streamed = [.. read.Select(values => Enumerable.Repeat(float.NaN, values.Length).ToArray())];
        int[] sliceLength = [target.Rows * target.Columns, other.Rows * other.Columns];
        void WaitFor(int channel, int slices) => read[channel].AsSpan(0, slices * sliceLength[channel]).CopyTo(streamed[channel]);
        var modelInputs = plan.ModelInputs(streamed);

        for (var run = 1; run <= target.Slices; run++)
        {
            plan.Prepare(run, streamed, WaitFor);
            Assert.All(modelInputs, channel => Assert.DoesNotContain(channel[..(run * sliceLength[0])], float.IsNaN));
        }

        Assert.Same(streamed[0], modelInputs[0]);
        Assert.Equal(GridResampler.Resample(other, read[1], target, out _), modelInputs[1]);
    }
}
