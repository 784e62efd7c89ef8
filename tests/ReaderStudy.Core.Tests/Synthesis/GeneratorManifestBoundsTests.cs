using ReaderStudy.Core.Synthesis;

namespace ReaderStudy.Core.Tests.Synthesis;

/// <summary>A manifest is checked before anything is allocated from it: no grid, batch or name can exhaust memory.</summary>
public sealed class GeneratorManifestBoundsTests
{
    private static string Manifest(string fields) => $$"""{"name":"m","version":"1","channels":[{"series":"SAG DESS"}]{{fields}}}""";

    [Theory]
    [InlineData(""","height":100000,"width":100000""", "height is 100000; a model grid is 1 to 4096 pixels")]
    [InlineData(""","height":-256,"width":256""", "height is -256")]
    [InlineData(""","batchSize":0""", "batchSize is 0; it must be 1 to 256")]
    [InlineData(""","batchSize":-5""", "batchSize is -5")]
    [InlineData(""","height":4096,"width":4096,"batchSize":256""", "MiB of input; at most 256 MiB is allowed: lower batchSize")]
    [InlineData(""","outputScaleMs":1e400""", "scales and offsets must be finite numbers")]
    public void Parse_OutOfBounds_IsRefusedNamingTheField(string fields, string expected)
    {
        var error = Assert.Throws<GeneratorException>(() => GeneratorManifest.Parse(Manifest(fields)));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Parse_AMegabyteName_IsRefused()
    {
        var json = $$"""{"name":"{{new string('x', 1 << 20)}}","version":"1","channels":[{"series":"SAG DESS"}]}""";

        var error = Assert.Throws<GeneratorException>(() => GeneratorManifest.Parse(json));

        Assert.Equal("the manifest's name is 1048576 characters long; at most 200 are allowed.", error.Message);
    }

    [Fact]
    public void Parse_ARealisticManifest_IsAccepted()
    {
        var manifest = GeneratorManifest.Parse(Manifest(""","height":256,"width":256,"batchSize":16"""));

        Assert.Equal((256, 256, 16), (manifest.Height, manifest.Width, manifest.BatchSize));
    }
}
