using ReaderStudy.Core.Synthesis;
using ReaderStudy.Testing;

namespace ReaderStudy.Core.Tests.Synthesis;

public sealed class GeneratorModelTests
{
    [Fact]
    public void AffineModel_MatchesItsClosedForm_WithNormalizationAndOutputScaling_AcrossPartialBatches()
    {
        var manifest = TestModels.AffineManifest(outputScale: 2, outputOffset: 1, batchSize: 2) with
        {
            Channels = [new GeneratorChannel("a", Mean: 100, Scale: 50), new GeneratorChannel("b", Mean: 0, Scale: 10)],
        };
        using var model = GeneratorModel.Open(TestModels.Affine, manifest, GeneratorDevice.Auto);
        const int slices = 3, rows = 5, columns = 7;
        var random = new Random(7);
        var a = Enumerable.Range(0, slices * rows * columns).Select(_ => (float)(random.NextDouble() * 400)).ToArray();
        var b = Enumerable.Range(0, slices * rows * columns).Select(_ => (float)(random.NextDouble() * 100)).ToArray();

        var map = model.Generate([a, b], slices, rows, columns);

        Assert.Equal("CPU", model.Provider);
        Assert.Equal(64, model.Sha256.Length);
        for (var i = 0; i < map.Length; i++)
        {
            var expected = (0.5 * ((a[i] - 100) / 50) + 0.25 * (b[i] / 10) + 10) * 2 + 1;
            Assert.True(Math.Abs(map[i] - expected) < 1e-5 * Math.Max(1, Math.Abs(expected)), $"voxel {i}: {map[i]} vs {expected}");
        }
    }

    [Fact]
    public void ModelGrid_IsResampledToAndBack_SoAConstantSliceStaysConstant()
    {
        using var model = GeneratorModel.Open(TestModels.Affine, TestModels.AffineManifest(height: 8, width: 8), GeneratorDevice.Cpu);
        var map = model.Generate([Enumerable.Repeat(40f, 2 * 12 * 10).ToArray(), Enumerable.Repeat(8f, 2 * 12 * 10).ToArray()], 2, 12, 10);
        Assert.All(map, v => Assert.Equal(32f, v, 4));
    }

    [Fact]
    public void CudaRequested_WithoutAGpu_FailsWithAClearMessage()
    {
        if (File.Exists("/dev/nvidiactl"))
        {
            return;   // a GPU machine: CUDA loads, nothing to refuse
        }
        var error = Assert.Throws<GeneratorException>(() => GeneratorModel.Open(TestModels.Affine, TestModels.AffineManifest(), GeneratorDevice.Cuda));
        Assert.Contains("CUDA execution provider did not load", error.Message);
    }

    [Theory]
    [InlineData("wrong_rank.onnx", "has rank 3, not 4", "[batch, height, width] float")]
    [InlineData("three_channels.onnx", "has 3 channels, not 2", "[batch, 3, height, width] float")]
    [InlineData("integer_input.onnx", "is not float", "[batch, 2, height, width] int64")]
    public void MismatchedModel_IsRefused_NamingTheTensorAndBothShapes(string file, string what, string modelShape)
    {
        var error = Assert.Throws<GeneratorException>(() => GeneratorModel.Open(TestModels.Path(file), TestModels.AffineManifest(), GeneratorDevice.Cpu));
        Assert.Contains($"input tensor 'anatomic' {what}", error.Message);
        Assert.Contains("the manifest expects [batch, 2, height, width] float", error.Message);
        Assert.Contains($"the model has {modelShape}", error.Message);
    }

    [Fact]
    public void ManifestNamingAnotherTensor_IsRefused_ListingTheModelsTensors()
    {
        var error = Assert.Throws<GeneratorException>(() => GeneratorModel.Open(TestModels.Affine, TestModels.AffineManifest() with { InputName = "image" }, GeneratorDevice.Cpu));
        Assert.Contains("no input tensor 'image'", error.Message);
        Assert.Contains("'anatomic' [batch, 2, height, width] float", error.Message);
    }

    [Fact]
    public void NotAnOnnxFile_IsRefused()
    {
        var path = System.IO.Path.GetTempFileName();
        File.WriteAllText(path, "not a model");
        var error = Assert.Throws<GeneratorException>(() => GeneratorModel.Open(path, TestModels.AffineManifest(), GeneratorDevice.Cpu));
        Assert.Contains("not a model ONNX Runtime can open", error.Message);
        File.Delete(path);
    }
}
