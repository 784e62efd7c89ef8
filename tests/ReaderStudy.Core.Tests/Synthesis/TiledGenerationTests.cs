using ReaderStudy.Core.Synthesis;
using ReaderStudy.Testing;

namespace ReaderStudy.Core.Tests.Synthesis;

/// <summary>
/// Tiled inference with the affine test generator, which works pixel by pixel: every tile of a pixel gives the
/// same value, so the blended map must equal the closed form exactly wherever the tile was put; a tile placed or
/// blended wrongly shows as a wrong pixel.
/// </summary>
public sealed class TiledGenerationTests
{
    private static GeneratorManifest Tiled(int tile, int overlap, int batchSize) => TestModels.AffineManifest(height: tile, width: tile, batchSize: batchSize) with
    {
        Channels = [new GeneratorChannel("a", Mean: 100, Scale: 50), new GeneratorChannel("b", Mean: 0, Scale: 10)],
        TileOverlap = overlap,
    };

    private static void AssertClosedForm(GeneratorManifest manifest, int slices, int rows, int columns)
    {
        using var model = GeneratorModel.Open(TestModels.Affine, manifest, GeneratorDevice.Cpu);
        var random = new Random(11);
        var a = Enumerable.Range(0, slices * rows * columns).Select(_ => (float)(random.NextDouble() * 400)).ToArray();
        var b = Enumerable.Range(0, slices * rows * columns).Select(_ => (float)(random.NextDouble() * 100)).ToArray();
        var progress = new List<int>();

        var map = model.Generate([a, b], slices, rows, columns, new SynchronousProgress(progress.Add));

        for (var i = 0; i < map.Length; i++)
        {
            var expected = 0.5 * ((a[i] - 100) / 50) + 0.25 * (b[i] / 10) + 10;
            Assert.True(Math.Abs(map[i] - expected) < 1e-5 * Math.Max(1, Math.Abs(expected)), $"voxel {i}: {map[i]} vs {expected}");
        }
        Assert.Equal(slices, progress[^1]);
    }

    [Fact]
    public void SliceLargerThanATile_IsCoveredByOverlappingTiles_BatchedAcrossSlices()
    {
        // 70 columns and 100 rows with 32-pixel tiles overlapping by 8: 4 x 3 tiles a slice, batches of 5 straddle slices.
        AssertClosedForm(Tiled(tile: 32, overlap: 8, batchSize: 5), slices: 3, rows: 100, columns: 70);
    }

    [Fact]
    public void SliceSmallerThanATile_IsPaddedAndCutBack()
    {
        AssertClosedForm(Tiled(tile: 32, overlap: 4, batchSize: 2), slices: 2, rows: 20, columns: 25);
    }

    [Fact]
    public void TileStarts_StepByTileMinusOverlap_AndTheLastIsFlushWithTheEnd()
    {
        Assert.Equal([0, 24, 48, 68], GeneratorModel.TileStarts(100, 32, 8));
        Assert.Equal([0], GeneratorModel.TileStarts(32, 32, 8));
        Assert.Equal([0, 32], GeneratorModel.TileStarts(64, 32, 0));
    }

    [Theory]
    [InlineData("""{"name":"g","version":"1","channels":[{"series":"a"}],"tileOverlap":8}""", "tileOverlap needs the model's tile size: give height and width.")]
    [InlineData("""{"name":"g","version":"1","channels":[{"series":"a"}],"height":32,"width":32,"tileOverlap":16}""", "tileOverlap 16 must be at least 0 and less than half the tile (32x32).")]
    public void Manifest_WithImpossibleTiling_IsRefused(string json, string message)
    {
        Assert.Equal(message, Assert.Throws<GeneratorException>(() => GeneratorManifest.Parse(json)).Message);
    }

    private sealed class SynchronousProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
