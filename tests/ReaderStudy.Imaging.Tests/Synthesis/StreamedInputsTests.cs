using ReaderStudy.Core.Synthesis;
using ReaderStudy.Imaging.Dicom;
using ReaderStudy.Imaging.Synthesis;
using ReaderStudy.Testing;

namespace ReaderStudy.Imaging.Tests.Synthesis;

/// <summary>
/// Inputs already on the map's grid are decoded slice by slice while the model runs (batches of 4 over 20 slices here):
/// each batch must see its own slices, whatever order the files are named in, and a file that fails mid-series must stop
/// the map, naming it, with nothing written.
/// </summary>
public sealed class StreamedInputsTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("readerstudy-streamed-").FullName;
    private readonly string frameOfReference = DicomUids.New();
    private readonly string study = DicomUids.New();

    private static readonly VolumeGeometry Grid = VolumeGeometry.Sagittal(size: 24, slices: 20, inPlaneMm: 0.5, sliceMm: 2);

    // Integral everywhere, so the 16-bit files hold them exactly and the map is exact: t2 = 0.5·(a/2) + 0.25·(b/4) + 10.
    private static double First(double[] p) => 300 + 2 * p[0] + 4 * p[1] + 3 * p[2];

    private static double Second(double[] p) => 500 - p[0] + 8 * p[1] + 5 * p[2];

    private string WriteSeries(string name, Func<double[], double> signal)
    {
        var path = Path.Combine(folder, name);
        DicomSeriesWriter.Write(path, new SeriesInfo
        {
            PatientName = "PHANTOM^STREAMED",
            PatientId = "STREAMED-1",
            StudyInstanceUid = study,
            SeriesInstanceUid = DicomUids.New(),
            FrameOfReferenceUid = frameOfReference,
            SeriesNumber = name == "first" ? 3 : 4,
            SeriesDescription = name,
            ImageType = "ORIGINAL\\PRIMARY\\M",
        }, Grid, GridResamplerTests.Sample(Grid, signal));
        // Named in no particular order: where a slice goes comes from its header, not its file name.
        var random = new Random(name.Length);
        foreach (var file in Directory.GetFiles(path))
        {
            File.Move(file, Path.Combine(path, $"{random.Next():x8}.dcm"));
        }
        return path;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void InputsOnTheMapsGrid_EachBatchGetsItsOwnSlices_AndTheMapIsTheClosedForm(bool tiled)
    {
        var (first, second) = (WriteSeries("first", First), WriteSeries("second", Second));
        var manifest = tiled ? TestModels.AffineManifest(height: 16, width: 16) with { TileOverlap = 4 } : TestModels.AffineManifest();
        using var model = GeneratorModel.Open(TestModels.Affine, manifest with
        {
            Channels = [new GeneratorChannel("first", Mean: 0, Scale: 2), new GeneratorChannel("second", Mean: 0, Scale: 4)],
        }, GeneratorDevice.Cpu);

        var result = SyntheticMapPipeline.Run(model, [first, second], Path.Combine(folder, "synthetic"));

        Assert.Empty(result.CoRegistered);
        var (a, b) = (GridResamplerTests.Sample(Grid, First), GridResamplerTests.Sample(Grid, Second));
        for (var i = 0; i < result.Map.Length; i++)
        {
            var expected = 0.5 * (a[i] / 2.0) + 0.25 * (b[i] / 4.0) + 10;
            Assert.True(Math.Abs(result.Map[i] - expected) <= 1e-4 * expected, $"voxel {i} (slice {i / (24 * 24)}): {result.Map[i]} vs {expected}");
        }
        // Each written slice names, as its source images, the inputs' slices at its own position.
        var written = VolumeLoader.Stack(DicomScanner.Scan([result.Folder]).Images, "written");
        var inputs = new[] { first, second }.Select(series => VolumeLoader.Stack(DicomScanner.Scan([series]).Images, series).Slices).ToList();
        foreach (var slice in new[] { 0, 7, 19 })
        {
            // After the Referenced Series Sequence's 40 images, the Source Image Sequence: this slice in each input.
            var named = Tool.Run("dcmdump", written.Slices[slice].Path).Output.Split('\n').Where(line => line.Contains("ReferencedSOPInstanceUID"))
                .Skip(40).Select(line => line[(line.IndexOf('[') + 1)..line.IndexOf(']')]);
            Assert.Equal(inputs.Select(input => input[slice].SopInstanceUid), named);
        }
    }

    [Fact]
    public void ASliceCutShortMidSeries_StopsTheMap_NamingThatFile_AndWritesNothing()
    {
        var (first, second) = (WriteSeries("first", First), WriteSeries("second", Second));
        var cut = VolumeLoader.Stack(DicomScanner.Scan([second]).Images, "second").Slices[13].Path;
        var bytes = File.ReadAllBytes(cut);
        File.WriteAllBytes(cut, bytes[..^400]);
        using var model = GeneratorModel.Open(TestModels.Affine, TestModels.AffineManifest() with
        {
            Channels = [new GeneratorChannel("first", Mean: 0, Scale: 2), new GeneratorChannel("second", Mean: 0, Scale: 4)],
        }, GeneratorDevice.Cpu);
        var output = Path.Combine(folder, "synthetic");

        var error = Assert.Throws<DicomReadException>(() => SyntheticMapPipeline.Run(model, [first, second], output));

        Assert.Contains(cut, error.Message);
        Assert.Contains("truncated", error.Message);
        Assert.False(Directory.Exists(output) && Directory.EnumerateFiles(output).Any());
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
