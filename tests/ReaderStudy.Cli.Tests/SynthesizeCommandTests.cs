using System.Text.Json;
using ReaderStudy.Core.Synthesis;
using ReaderStudy.Imaging.Dicom;
using ReaderStudy.Testing;

namespace ReaderStudy.Cli.Tests;

/// <summary>`readerstudy synthesize` from phantom anatomic DICOM to a synthetic T2 map series, with the affine test generator.</summary>
public sealed class SynthesizeCommandTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("readerstudy-synth-").FullName;

    private (string Subject, string Model) PhantomAndModel(GeneratorManifest manifest)
    {
        var (exit, _, error) = CommandLineTests.Run("phantom", "--out", folder, "--subjects", "1", "--seed", "5", "--size", "96", "--slices", "5");
        Assert.True(exit == 0, error);
        var subject = Directory.GetDirectories(folder).Single(d => Directory.Exists(Path.Combine(d, "dess")));
        var model = Path.Combine(folder, "affine.onnx");
        File.Copy(TestModels.Affine, model);
        File.WriteAllText(GeneratorManifest.PathBeside(model), manifest.ToJson());
        return (subject, model);
    }

    private static LoadedVolume Load(string seriesFolder)
    {
        var scan = DicomScanner.Scan([seriesFolder]);
        Assert.Empty(scan.Errors);
        return VolumeLoader.Stack(scan.Images, seriesFolder);
    }

    [Fact]
    public void Synthesize_OnCpu_WritesTheClosedFormMap_ReferencingItsInputs_AndSaysWhichProviderRan()
    {
        var manifest = TestModels.AffineManifest() with
        {
            Channels = [new GeneratorChannel("SAG DESS", Mean: 0, Scale: 2), new GeneratorChannel("SAG IW TSE", Mean: 0, Scale: 4)],
        };
        var (subject, model) = PhantomAndModel(manifest);
        var output = Path.Combine(folder, "synthetic");

        var (exit, stdout, error) = CommandLineTests.Run("synthesize", "--model", model, "--input", Path.Combine(subject, "dess"), Path.Combine(subject, "iw-tse"),
            "--out", output, "--device", "auto");

        Assert.True(exit == 0, error);
        var summary = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("CPU", summary.GetProperty("provider").GetString());
        Assert.Equal(5, summary.GetProperty("slices").GetInt32());
        Assert.True(summary.GetProperty("slices_per_second").GetDouble() > 0);
        var (dess, tse, map) = (Load(Path.Combine(subject, "dess")), Load(Path.Combine(subject, "iw-tse")), Load(output));
        Assert.Equal(dess.Geometry.Origin, map.Geometry.Origin);
        Assert.StartsWith("Synthetic T2 map (affine test generator 1)", map.SeriesDescription);
        // The DICOM stores 16-bit integers with a slope: exact to half a quantization step.
        var tolerance = map.Slices[0].Slope / 2 + 1e-5;
        for (var i = 0; i < map.Values.Length; i++)
        {
            var expected = 0.5 * (dess.Values[i] / 2) + 0.25 * (tse.Values[i] / 4) + 10;
            Assert.True(Math.Abs(map.Values[i] - expected) <= tolerance, $"voxel {i}: {map.Values[i]} vs {expected} (±{tolerance})");
        }
    }

    [Fact]
    public void Synthesize_OnTheGridOfAnotherSeries_CoRegistersTheInputsOntoIt()
    {
        var (subject, model) = PhantomAndModel(TestModels.AffineManifest() with
        {
            Channels = [new GeneratorChannel("SAG DESS", Mean: 0, Scale: 2), new GeneratorChannel("SAG IW TSE", Mean: 0, Scale: 4)],
        });
        // Every other slice of the truth map: a grid with twice the slice spacing of the inputs.
        var sparse = Path.Combine(folder, "sparse-grid");
        Directory.CreateDirectory(sparse);
        var truth = Load(Path.Combine(subject, "t2-truth"));
        foreach (var slice in truth.Slices.Where((_, i) => i % 2 == 0))
        {
            File.Copy(slice.Path, Path.Combine(sparse, Path.GetFileName(slice.Path)));
        }
        var output = Path.Combine(folder, "synthetic");

        var (exit, stdout, error) = CommandLineTests.Run("synthesize", "--model", model, "--input", Path.Combine(subject, "dess"), Path.Combine(subject, "iw-tse"),
            "--out", output, "--grid-of", sparse);

        Assert.True(exit == 0, error);
        var coRegistered = JsonDocument.Parse(stdout).RootElement.GetProperty("co_registered").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Equal(["SAG DESS", "SAG IW TSE"], coRegistered);
        var (dess, map) = (Load(Path.Combine(subject, "dess")), Load(output));
        Assert.Equal(3, map.Geometry.Slices);
        Assert.Equal(2 * dess.Geometry.SliceSpacing, map.Geometry.SliceSpacing, 3);
        // The sparse grid's slices lie on input slices 0, 2 and 4, so the map there is the closed form of those slices.
        var sliceLength = dess.Geometry.Rows * dess.Geometry.Columns;
        var tse = Load(Path.Combine(subject, "iw-tse"));
        var tolerance = map.Slices[0].Slope / 2 + 1e-4;
        for (var i = 0; i < map.Values.Length; i++)
        {
            var source = (i / sliceLength) * 2 * sliceLength + i % sliceLength;
            var expected = 0.5 * (dess.Values[source] / 2) + 0.25 * (tse.Values[source] / 4) + 10;
            Assert.True(Math.Abs(map.Values[i] - expected) <= tolerance, $"voxel {i}: {map.Values[i]} vs {expected}");
        }
    }

    [Fact]
    public void DemoGenerator_OnAnUnseenPhantomSubject_GivesFemoralCartilageT2NearTheTruth()
    {
        var (exit, _, error) = CommandLineTests.Run("phantom", "--out", folder, "--subjects", "1", "--seed", "97", "--size", "128", "--slices", "6");
        Assert.True(exit == 0, error);
        var truth = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "manifest.json"))).RootElement.GetProperty("subjects")[0].GetProperty("regions")[0];
        var subject = Directory.GetDirectories(folder).Single(d => Directory.Exists(Path.Combine(d, "dess")));
        var output = Path.Combine(folder, "synthetic");

        (exit, _, error) = CommandLineTests.Run("synthesize", "--model", TestModels.DemoKneeT2,
            "--input", Path.Combine(subject, "dess"), Path.Combine(subject, "iw-tse"), Path.Combine(subject, "t1"), "--out", output);

        Assert.True(exit == 0, error);
        var map = Load(output);
        var segmentation = DicomSegmentation.Read(Path.Combine(subject, "segmentation", "cartilage.dcm"));
        var mask = segmentation.MaskFor(1, [.. map.Slices.Select(s => s.SlicePosition())], map.Geometry.Normal);
        var inside = map.Values.Where((_, i) => mask[i]).ToList();
        Assert.Equal(truth.GetProperty("voxels").GetInt32(), inside.Count);
        Assert.InRange(inside.Average(), truth.GetProperty("true_t2_ms").GetDouble() - 3, truth.GetProperty("true_t2_ms").GetDouble() + 3);
    }

    [Fact]
    public void Synthesize_DeviceCuda_WithoutAGpu_FailsClearly_AndWritesNothing()
    {
        if (File.Exists("/dev/nvidiactl"))
        {
            return;   // a GPU machine: CUDA loads, nothing to refuse
        }
        var (subject, model) = PhantomAndModel(TestModels.AffineManifest());
        var output = Path.Combine(folder, "synthetic");

        var (exit, _, error) = CommandLineTests.Run("synthesize", "--model", model, "--input", Path.Combine(subject, "dess"), Path.Combine(subject, "t1"),
            "--out", output, "--device", "cuda");

        Assert.Equal(2, exit);
        Assert.Contains("--device cuda: the CUDA execution provider did not load", error);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Synthesize_WrongNumberOfInputs_NamesTheChannels()
    {
        var (subject, model) = PhantomAndModel(TestModels.AffineManifest());

        var (exit, _, error) = CommandLineTests.Run("synthesize", "--model", model, "--input", Path.Combine(subject, "dess"), "--out", Path.Combine(folder, "x"));

        Assert.Equal(2, exit);
        Assert.Contains("takes 2 input series (anatomic 1, anatomic 2); 1 folders given", error);
    }

    [Fact]
    public void Synthesize_ModelWithoutManifest_SaysSo()
    {
        var model = Path.Combine(folder, "lonely.onnx");
        File.Copy(TestModels.Affine, model);

        var (exit, _, error) = CommandLineTests.Run("synthesize", "--model", model, "--input", folder, "--out", Path.Combine(folder, "x"));

        Assert.Equal(2, exit);
        Assert.Contains("lonely.manifest.json: no manifest", error);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
