using ReaderStudy.Core.Synthesis;

namespace ReaderStudy.Testing;

/// <summary>The small ONNX generators written by tools/models/make_test_models.py, with their manifests.</summary>
public static class TestModels
{
    /// <summary>t2 = 0.5 × channel0 + 0.25 × channel1 + 10 (after normalization, before output scaling).</summary>
    public static string Affine => Path("affine.onnx");
    public static string WrongRank => Path("wrong_rank.onnx");
    public static string ThreeChannels => Path("three_channels.onnx");
    public static string IntegerInput => Path("integer_input.onnx");

    /// <summary>The demo generator trained on the knee phantom (tools/models/train_demo_unet.py), with its manifest beside it.</summary>
    public static string DemoKneeT2 => System.IO.Path.Combine(SharedFolder.RepositoryRoot, "src", "ReaderStudy.Web", "DemoModels", "knee-t2-unet.onnx");

    public static GeneratorManifest AffineManifest(int? height = null, int? width = null, double outputScale = 1, double outputOffset = 0, int batchSize = 4) => new()
    {
        Name = "affine test generator",
        Version = "1",
        Channels = [new GeneratorChannel("anatomic 1"), new GeneratorChannel("anatomic 2")],
        Height = height,
        Width = width,
        OutputScaleMs = outputScale,
        OutputOffsetMs = outputOffset,
        BatchSize = batchSize,
    };

    public static string Path(string file) => System.IO.Path.Combine(SharedFolder.RepositoryRoot, "tests", "ReaderStudy.Testing", "Models", file);
}
