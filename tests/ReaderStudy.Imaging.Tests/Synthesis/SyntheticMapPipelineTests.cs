using ReaderStudy.Core.Series;
using ReaderStudy.Core.Synthesis;
using ReaderStudy.Imaging.Dicom;
using ReaderStudy.Imaging.Synthesis;
using ReaderStudy.Testing;

namespace ReaderStudy.Imaging.Tests.Synthesis;

/// <summary>DICOM in, DICOM out with the affine test generator, whose map is known in closed form: t2 = 0.5·(a/2) + 0.25·(b/4) + 10.</summary>
public sealed class SyntheticMapPipelineTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("readerstudy-pipeline-").FullName;
    private readonly string frameOfReference = DicomUids.New();
    private readonly string study = DicomUids.New();

    private static readonly GeneratorManifest Manifest = TestModels.AffineManifest() with
    {
        Channels = [new GeneratorChannel("SAG DESS", Mean: 0, Scale: 2), new GeneratorChannel("SAG IW TSE", Mean: 0, Scale: 4)],
    };

    /// <summary>The first channel's grid: 24x24 pixels of 0.5 mm, 4 slices 2 mm apart.</summary>
    private static readonly VolumeGeometry Dess = VolumeGeometry.Sagittal(size: 24, slices: 4, inPlaneMm: 0.5, sliceMm: 2);

    /// <summary>The second channel as another sequence would be planned: 1 mm isotropic, a larger field, other slice positions.</summary>
    private static readonly VolumeGeometry Tse = Dess with
    {
        Columns = 16, Rows = 16, Slices = 9, ColumnSpacing = 1, RowSpacing = 1, SliceSpacing = 1, Origin = [-3, -7, 7],
    };

    // Integral on the 1 mm grid, so the written 16-bit series holds it exactly and only resampling is under test.
    private static double TseSignal(double[] p) => 2 * p[0] - 3 * p[1] + p[2] + 100;

    private static double DessSignal(double[] p) => 300 + 10 * Math.Sin(p[1]) + p[2];

    private string WriteSeries(string name, VolumeGeometry geometry, Func<double[], double> signal, string? frame = null)
    {
        var path = Path.Combine(folder, name);
        DicomSeriesWriter.Write(path, new SeriesInfo
        {
            PatientName = "PHANTOM^PIPELINE",
            PatientId = "PIPELINE-1",
            StudyInstanceUid = study,
            SeriesInstanceUid = DicomUids.New(),
            FrameOfReferenceUid = frame ?? frameOfReference,
            SeriesNumber = name == "dess" ? 3 : 4,
            SeriesDescription = name,
            ImageType = "ORIGINAL\\PRIMARY\\M",
        }, geometry, GridResamplerTests.Sample(geometry, signal));
        return path;
    }

    private static LoadedVolume Load(string seriesFolder)
    {
        var scan = DicomScanner.Scan([seriesFolder]);
        Assert.Empty(scan.Errors);
        return VolumeLoader.Stack(scan.Images, seriesFolder);
    }

    [Fact]
    public void SecondChannelOnAnotherGrid_IsCoRegisteredByGeometry_AndTheMapMatchesTheClosedFormWithin1e5()
    {
        var (dess, tse) = (WriteSeries("dess", Dess, DessSignal), WriteSeries("tse", Tse, TseSignal));
        using var model = GeneratorModel.Open(TestModels.Affine, Manifest, GeneratorDevice.Cpu);

        var result = SyntheticMapPipeline.Run(model, [dess, tse], Path.Combine(folder, "synthetic"));

        Assert.Equal(["SAG IW TSE"], result.CoRegistered);
        var dessAsRead = Load(dess).Values;
        var tseOnDessGrid = GridResamplerTests.Sample(Dess, TseSignal);
        for (var i = 0; i < result.Map.Length; i++)
        {
            var expected = 0.5 * (dessAsRead[i] / 2.0) + 0.25 * (tseOnDessGrid[i] / 4.0) + 10;
            Assert.True(Math.Abs(result.Map[i] - expected) <= 1e-5 * Math.Max(1, Math.Abs(expected)), $"voxel {i}: {result.Map[i]} vs {expected}");
        }
        // The written series is on the first channel's grid and holds the map to its 16-bit step.
        var written = Load(result.Folder);
        Assert.Equal(Dess.Origin, written.Geometry.Origin);
        Assert.Equal((24, 24, 4), (written.Geometry.Columns, written.Geometry.Rows, written.Geometry.Slices));
        var step = written.Slices[0].Slope;
        Assert.All(result.Map.Zip(written.Values), p => Assert.InRange(p.Second, p.First - step / 2 - 1e-5, p.First + step / 2 + 1e-5));
    }

    [Fact]
    public void AnMrToMrGenerator_WritesAnMrImageSeries_NotAT2Map()
    {
        // A synthetic fat-suppressed generator: its manifest says it makes MR signal in arbitrary units.
        var (dess, tse) = (WriteSeries("dess", Dess, DessSignal), WriteSeries("tse", Dess, DessSignal));
        using var model = GeneratorModel.Open(TestModels.Affine, Manifest with { Output = new GeneratorOutput("MR", "signal", "") }, GeneratorDevice.Cpu);

        var result = SyntheticMapPipeline.Run(model, [dess, tse], Path.Combine(folder, "synthetic"));

        var first = DicomReader.Read(Directory.GetFiles(result.Folder).Order().First());
        Assert.Equal(("MR", DicomUids.MrImageStorage, "DERIVED\\SECONDARY\\M"), (first.Modality, first.SopClassUid, first.ImageType));
        Assert.StartsWith("Synthetic MR (", first.SeriesDescription);
        var header = Tool.Run("dcmdump", first.Path).Output;
        // No Real World Value Mapping: arbitrary units have none to declare.
        Assert.DoesNotContain("(0040,9096)", header);
        Assert.Equal(SeriesKind.Anatomic, SeriesClassifier.Classify([first]).Kind);
    }

    [Fact]
    public void GridOfTheRealMap_BothInputsAreCoRegisteredOntoIt_AndTheMapIsWrittenOnIt()
    {
        // Integral on the DESS grid too, so both inputs are stored exactly and the expected map is exact.
        static double DessRamp(double[] p) => 300 + p[0] + 4 * p[1] + 2 * p[2];
        var realMapGrid = Dess with
        {
            Columns = 10, Rows = 10, Slices = 3, ColumnSpacing = 0.9, RowSpacing = 0.9, SliceSpacing = 2.5, Origin = [-4.5, -4, 4],
        };
        var (dess, tse) = (WriteSeries("dess", Dess, DessRamp), WriteSeries("tse", Tse, TseSignal));
        var realMap = WriteSeries("real-t2", realMapGrid, _ => 40);
        using var model = GeneratorModel.Open(TestModels.Affine, Manifest, GeneratorDevice.Cpu);

        var result = SyntheticMapPipeline.Run(model, [dess, tse], Path.Combine(folder, "synthetic"), gridOf: realMap);

        Assert.Equal(["SAG DESS", "SAG IW TSE"], result.CoRegistered);
        var (dessOnGrid, tseOnGrid) = (GridResamplerTests.Sample(realMapGrid, DessRamp), GridResamplerTests.Sample(realMapGrid, TseSignal));
        for (var i = 0; i < result.Map.Length; i++)
        {
            var expected = 0.5 * (dessOnGrid[i] / 2.0) + 0.25 * (tseOnGrid[i] / 4.0) + 10;
            Assert.True(Math.Abs(result.Map[i] - expected) <= 1e-5 * Math.Max(1, Math.Abs(expected)), $"voxel {i}: {result.Map[i]} vs {expected}");
        }
        var written = Load(result.Folder);
        Assert.Equal(realMapGrid.Origin, written.Geometry.Origin);
        Assert.Equal((10, 10, 3, 0.9), (written.Geometry.Columns, written.Geometry.Rows, written.Geometry.Slices, written.Geometry.RowSpacing));
    }

    [Fact]
    public void SecondChannelFromAnotherFrameOfReference_IsRefused_NamingBothFrames()
    {
        var (dess, tse) = (WriteSeries("dess", Dess, DessSignal), WriteSeries("tse", Tse, TseSignal, frame: DicomUids.New()));
        using var model = GeneratorModel.Open(TestModels.Affine, Manifest, GeneratorDevice.Cpu);

        var error = Assert.Throws<GeneratorException>(() => SyntheticMapPipeline.Run(model, [dess, tse], Path.Combine(folder, "synthetic")));

        Assert.Contains("'SAG IW TSE' is on another grid than 'SAG DESS' and in another frame of reference", error.Message);
        Assert.Contains(frameOfReference, error.Message);
        Assert.False(Directory.Exists(Path.Combine(folder, "synthetic")));
    }

    [Fact]
    public void SecondChannelThatHardlyOverlaps_IsRefused_WithItsCoverage()
    {
        var elsewhere = Tse with { Origin = [-3, 5, 7] };   // 12 mm further along the rows: most of the knee is outside it
        var (dess, tse) = (WriteSeries("dess", Dess, DessSignal), WriteSeries("tse", elsewhere, TseSignal));
        using var model = GeneratorModel.Open(TestModels.Affine, Manifest, GeneratorDevice.Cpu);

        var error = Assert.Throws<GeneratorException>(() => SyntheticMapPipeline.Run(model, [dess, tse], Path.Combine(folder, "synthetic")));

        Assert.Matches(@"Input 'SAG IW TSE' \(16x16x9, 1x1x1 mm\) covers only \d+ ?% of 'SAG DESS' \(24x24x4, 0.5x0.5x2 mm\)", error.Message);
    }

    /// <summary>A stack of 20 slices for inputs decoded while the model runs (batches of 4).</summary>
    private static readonly VolumeGeometry Stack20 = Dess with { Slices = 20 };

    // Integral everywhere, so both inputs are stored exactly and the map is exact.
    private static double Ramp(double[] p) => 300 + 2 * p[0] + 4 * p[1] + 3 * p[2];

    /// <summary>The series' files renamed in no particular order: where a slice goes must come from its header, not its name.</summary>
    private static string Shuffled(string series)
    {
        var random = new Random(series.Length);
        foreach (var file in Directory.GetFiles(series))
        {
            File.Move(file, Path.Combine(series, $"{random.Next():x8}.dcm"));
        }
        return series;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void InputsOnTheMapsGrid_DecodedWhileTheModelRuns_EachBatchGetsItsOwnSlices(bool tiled)
    {
        var (dess, tse) = (Shuffled(WriteSeries("dess", Stack20, Ramp)), Shuffled(WriteSeries("tse", Stack20, TseSignal)));
        using var model = GeneratorModel.Open(TestModels.Affine, tiled ? Manifest with { Height = 16, Width = 16, TileOverlap = 4 } : Manifest, GeneratorDevice.Cpu);

        var result = SyntheticMapPipeline.Run(model, [dess, tse], Path.Combine(folder, "synthetic"));

        Assert.Empty(result.CoRegistered);
        var (a, b) = (GridResamplerTests.Sample(Stack20, Ramp), GridResamplerTests.Sample(Stack20, TseSignal));
        for (var i = 0; i < result.Map.Length; i++)
        {
            var expected = 0.5 * (a[i] / 2.0) + 0.25 * (b[i] / 4.0) + 10;
            Assert.True(Math.Abs(result.Map[i] - expected) <= 1e-4 * expected, $"voxel {i} (slice {i / (24 * 24)}): {result.Map[i]} vs {expected}");
        }
        // Each written slice names, as its source images, the inputs' slices at its own position.
        var written = Load(result.Folder).Slices;
        var inputs = new[] { dess, tse }.Select(series => Load(series).Slices).ToList();
        foreach (var slice in new[] { 0, 7, 19 })
        {
            // After the Referenced Series Sequence's 40 images, the Source Image Sequence: this slice in each input.
            var named = Tool.Run("dcmdump", written[slice].Path).Output.Split('\n').Where(line => line.Contains("ReferencedSOPInstanceUID"))
                .Skip(40).Select(line => line[(line.IndexOf('[') + 1)..line.IndexOf(']')]);
            Assert.Equal(inputs.Select(input => input[slice].SopInstanceUid), named);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AnInputCutShortMidSeries_StopsTheMap_NamingThatFile_AndWritesNothing(bool coRegistered)
    {
        // Co-registered: the TSE on its own grid, resampled onto the DESS's as the model comes to each slice.
        var (dess, tse) = coRegistered ? (WriteSeries("dess", Dess, Ramp), WriteSeries("tse", Tse, TseSignal))
            : (WriteSeries("dess", Stack20, Ramp), WriteSeries("tse", Stack20, TseSignal));
        var cut = Load(tse).Slices[coRegistered ? 5 : 13].Path;
        File.WriteAllBytes(cut, File.ReadAllBytes(cut)[..^400]);
        using var model = GeneratorModel.Open(TestModels.Affine, Manifest, GeneratorDevice.Cpu);
        var output = Path.Combine(folder, "synthetic");

        var error = Assert.Throws<DicomReadException>(() => SyntheticMapPipeline.Run(model, [dess, tse], output));

        Assert.Contains(cut, error.Message);
        Assert.Contains("truncated", error.Message);
        Assert.False(Directory.Exists(output) && Directory.EnumerateFiles(output).Any());
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
