using ReaderStudy.Core.Phantom;
using ReaderStudy.Core.Series;
using ReaderStudy.Core.Studies;
using ReaderStudy.Core.Synthesis;
using ReaderStudy.Imaging.Dicom;
using ReaderStudy.Imaging.Phantom;
using ReaderStudy.Imaging.Synthesis;
using ReaderStudy.Testing;

namespace ReaderStudy.Imaging.Tests;

/// <summary>CT and mammography DICOM, the pelvis and mammography phantoms, and the MR-to-CT generator, read back through the portal's reader.</summary>
public sealed class OtherStudyKindsTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("readerstudy-kinds-").FullName;

    private static readonly string PelvisGenerator = Path.Combine(SharedFolder.RepositoryRoot, "src", "ReaderStudy.Web", "DemoModels", "pelvis-sct.onnx");

    [Fact]
    public void CtSeries_KeepsWholeHounsfieldUnits_IsACtImage_AndPassesDciodvfy()
    {
        var geometry = VolumeGeometry.Axial(8, 2, 1.5, 3);
        var hu = Enumerable.Range(0, 128).Select(i => (float)(i * 37 % 2200 - 1024)).ToArray();
        var files = DicomSeriesWriter.Write(folder, Info("CT", "CT"), geometry, hu);

        var first = DicomReader.Read(files[0]);
        Assert.Equal(("CT", DicomUids.CtImageStorage), (first.Modality, first.SopClassUid));
        Assert.Equal((1.0, 0.0), (first.Slope, first.Intercept));
        Assert.Equal(hu[..64], first.Values());
        Assert.Equal(hu[64..], DicomReader.Read(files[1]).Values());
        var (_, verify) = Tool.Run("dciodvfy", files[0]);
        Assert.DoesNotContain("Error", verify);
    }

    [Fact]
    public void Monochrome1Mammogram_IsStoredInverted_AndDisplaysAsWritten()
    {
        var geometry = VolumeGeometry.Projection(rows: 10, columns: 8, pixelMm: 0.1);
        var display = Enumerable.Range(0, 80).Select(i => (float)(i * 51 % 4096)).ToArray();
        var file = DicomSeriesWriter.Write(folder, Info("MG", "MG") with { PhotometricInterpretation = "MONOCHROME1", BitsStored = 12, Laterality = "L", ImageType = "ORIGINAL\\PRIMARY" }, geometry, display)[0];

        var image = DicomReader.Read(file);
        Assert.Equal(("MONOCHROME1", 12), (image.PhotometricInterpretation, image.BitsStored));
        Assert.Equal(display.Select(v => 4095 - v), image.Values());
        Assert.Equal(display, image.DisplayValues());
        Assert.Equal([0.1, 0.1], image.PixelSpacing);
        var (_, verify) = Tool.Run("dciodvfy", file);
        Assert.DoesNotContain("Error", verify);
        Assert.Throws<ArgumentException>(() => DicomSeriesWriter.Write(Path.Combine(folder, "bad"), Info("MG", "MG") with { PhotometricInterpretation = "MONOCHROME1", BitsStored = 12 },
            geometry, [.. display.Select(v => v + 0.5f)]));
    }

    [Fact]
    public void PelvisPhantom_IsDeterministic_AndItsCtMatchesTheTissuesOfItsSegments()
    {
        var options = new PelvisPhantomOptions { Size = 96, Slices = 6, Seed = 7 };
        var subjects = Enumerable.Range(0, 6).Select(i => PelvisPhantom.Generate(i, options)).ToList();

        Assert.Equal(subjects[2].Ct, PelvisPhantom.Generate(2, options).Ct);
        Assert.Contains(subjects, s => s.HasErosion);
        Assert.Contains(subjects, s => !s.HasErosion);
        Assert.All(subjects, s => Assert.Equal(s.HasErosion, s.Labels.Contains(PelvisTissue.Erosion)));
        var truth = subjects[0].SegmentTruth().ToDictionary(t => t.Label);
        Assert.Equal(-100, truth["Fat"].MeanHu, 1e-6);
        Assert.Equal(45, truth["Muscle"].MeanHu, 1e-6);
        Assert.InRange(truth["Bone"].MeanHu, 300, 1000);
        Assert.All(truth.Values, t => Assert.True(t.Voxels > 20, $"{t.Label}: {t.Voxels} voxels"));
        // The joint runs between the sacrum and each ilium: voxels on both sides of the midline.
        var joint = subjects[0].SegmentMask(2).Select((inside, v) => (inside, column: v % 96)).Where(p => p.inside).ToList();
        Assert.Contains(joint, p => p.column < 48);
        Assert.Contains(joint, p => p.column > 48);
    }

    [Fact]
    public void PelvisGenerator_WritesASyntheticCtInHounsfieldUnits_NearTheTruthPerSegment_ReferencingItsMr()
    {
        var manifest = PelvisStudyWriter.Generate(folder, 1, new PelvisPhantomOptions { Size = 128, Slices = 6, Seed = 11 });
        var subject = Path.Combine(folder, manifest.Subjects[0].Pseudonym);
        using var model = GeneratorModel.Open(PelvisGenerator, GeneratorManifest.Read(GeneratorManifest.PathBeside(PelvisGenerator)), GeneratorDevice.Cpu);
        Assert.Equal(new GeneratorOutput("CT", "HU", "HU"), model.Manifest.Output);

        var result = SyntheticMapPipeline.Run(model, [Path.Combine(subject, "t1")], Path.Combine(folder, "synthetic"), gridOf: Path.Combine(subject, "ct"));

        var written = Directory.GetFiles(Path.Combine(folder, "synthetic")).Order().ToList();
        var first = DicomReader.Read(written[0]);
        Assert.Equal(("CT", DicomUids.CtImageStorage), (first.Modality, first.SopClassUid));
        Assert.StartsWith("Synthetic CT", first.SeriesDescription);
        Assert.All(result.Map, v => Assert.Equal(MathF.Round(v), v));
        Assert.Contains(manifest.Subjects[0].Series.Single(s => s.Description == PelvisStudyWriter.MrDescription).SeriesInstanceUid,
            Tool.Run("dcmdump", written[0]).Output);
        Assert.DoesNotContain("Error", Tool.Run("dciodvfy", written[0]).Output);

        var segmentation = DicomSegmentation.Read(Path.Combine(subject, "segmentation", "pelvis.dcm"));
        var means = new List<string>();
        var positions = Enumerable.Range(0, 6).Select(z => result.Geometry.SliceOrigin(z).Zip(result.Geometry.Normal, (p, n) => p * n).Sum()).ToList();
        foreach (var segment in manifest.Subjects[0].Segments)
        {
            var mask = segmentation.MaskFor(segment.Segment, positions, result.Geometry.Normal);
            var mean = result.Map.Where((_, v) => mask[v]).Average(v => (double)v);
            means.Add($"{segment.Name}: synthetic {mean:0} HU, truth {segment.TrueMeanHu} HU");
            // A synthetic CT errs least in soft tissue and most in bone (the MR shows neither marrow density nor cortex well).
            var tolerance = segment.Name == "Bone" ? 250 : 25;
            Assert.True(Math.Abs(mean - segment.TrueMeanHu!.Value) < tolerance, string.Join("; ", means));
        }
    }

    [Fact]
    public void Manifest_WithoutAnOutput_IsAT2Generator_AndAnUnknownModalityIsRefusedByName()
    {
        var json = GeneratorManifest.Parse("""{"name":"g","version":"1","channels":[{"series":"a"}]}""");
        Assert.True(json.Output.IsT2Map);
        var error = Assert.Throws<GeneratorException>(() => GeneratorManifest.Parse("""{"name":"g","version":"1","channels":[{"series":"a"}],"output":{"modality":"PT","quantity":"SUV","units":"g/ml"}}"""));
        Assert.Contains("modality MR or CT", error.Message);
    }

    [Fact]
    public void MammographyPhantom_WritesTheRealViewAsMonochrome1AndTheSyntheticAtAnotherBitDepth_ThatDisplayAlike()
    {
        var manifest = MammographyStudyWriter.Generate(folder, 1, new MammographyPhantomOptions { Rows = 160, Columns = 128, PixelMm = 1, Seed = 3 });
        var subject = Path.Combine(folder, manifest.Subjects[0].Pseudonym);
        var real = DicomReader.Read(Directory.GetFiles(Path.Combine(subject, "real")).Single());
        var synthetic = DicomReader.Read(Directory.GetFiles(Path.Combine(subject, "synthetic")).Single());

        Assert.Equal(("MG", "MONOCHROME1", 12), (real.Modality, real.PhotometricInterpretation, real.BitsStored));
        Assert.Equal(("MG", "MONOCHROME2", 10), (synthetic.Modality, synthetic.PhotometricInterpretation, synthetic.BitsStored));
        // Shown as a display shows them, both have dark air around a bright breast, at scales four times apart.
        var (r, s) = (real.DisplayValues(), synthetic.DisplayValues());
        Assert.True(r[0] < r[80 * 128 + 10] && s[0] < s[80 * 128 + 10], $"air {r[0]}, {s[0]}; breast {r[80 * 128 + 10]}, {s[80 * 128 + 10]}");
        Assert.Equal(4, r.Average() / s.Average(), 0.2);
        Assert.All(new[] { real.Path, synthetic.Path }, path => Assert.DoesNotContain("Error", Tool.Run("dciodvfy", path).Output));
    }

    [Theory]
    [InlineData(StudyKind.Ct, "CT", "", "", SeriesKind.ComparedImage)]
    [InlineData(StudyKind.Ct, "MR", "AX T1", "", SeriesKind.Anatomic)]
    [InlineData(StudyKind.GrayscaleMr, "MR", "COR PD FS", "", SeriesKind.ComparedImage)]
    [InlineData(StudyKind.GrayscaleMr, "MR", "COR PD", "SFS\\PFP", SeriesKind.ComparedImage)]
    [InlineData(StudyKind.GrayscaleMr, "MR", "COR PD", "PFP", SeriesKind.Anatomic)]
    [InlineData(StudyKind.QuantitativeMap, "MR", "COR PD FS", "", SeriesKind.Anatomic)]
    [InlineData(StudyKind.Projection, "MG", "CC view", "", SeriesKind.ComparedImage)]
    public void ForStudy_MakesTheKindsComparedImagesOfItsModality(StudyKind kind, string modality, string description, string scanOptions, SeriesKind expected)
    {
        var image = new DicomImage
        {
            Path = "", Modality = modality, SopClassUid = "", SopInstanceUid = "", StudyInstanceUid = "", SeriesInstanceUid = "", FrameOfReferenceUid = "",
            SeriesDescription = description, SeriesNumber = 1, InstanceNumber = 1, ImageType = "ORIGINAL\\PRIMARY", TransferSyntaxUid = "", EchoTime = 20, RepetitionTime = 2000,
            BurnedInAnnotation = "", Rows = 1, Columns = 1, Frames = 1, PixelSpacing = [1, 1], ImagePosition = [0, 0, 0], ImageOrientation = [1, 0, 0, 0, 1, 0],
            Slope = 1, Intercept = 0, StoredValues = [], ScanOptions = scanOptions,
        };
        var (guess, rule) = SeriesClassifier.Classify([image]);

        var (chosen, why) = SeriesClassifier.ForStudy(StudyKindProfile.For(kind), guess, rule, image);

        Assert.Equal(expected, chosen);
        Assert.NotEmpty(why);
    }

    private static SeriesInfo Info(string modality, string description) => new()
    {
        Modality = modality,
        PatientName = "PHANTOM^KINDS",
        PatientId = "KINDS-1",
        StudyInstanceUid = DicomUids.New(),
        SeriesInstanceUid = DicomUids.New(),
        FrameOfReferenceUid = DicomUids.New(),
        SeriesNumber = 1,
        SeriesDescription = description,
        ImageType = "ORIGINAL\\PRIMARY\\AXIAL",
    };

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
