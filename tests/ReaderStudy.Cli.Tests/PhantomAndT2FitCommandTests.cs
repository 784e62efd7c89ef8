using System.Text.Json;
using ReaderStudy.Imaging.Dicom;
using ReaderStudy.Imaging.Nifti;

namespace ReaderStudy.Cli.Tests;

/// <summary>The command line from phantom DICOM to a fitted T2 map, as a coordinator would run it.</summary>
public sealed class PhantomAndT2FitCommandTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("readerstudy-cli-").FullName;

    private (string Subject, JsonElement Manifest) Phantom()
    {
        var (exit, output, error) = CommandLineTests.Run("phantom", "--out", folder, "--subjects", "1", "--seed", "4", "--size", "128", "--slices", "6");
        Assert.True(exit == 0, error);
        Assert.Contains("1 subject(s)", output);
        var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "manifest.json"))).RootElement;
        return (Path.Combine(folder, manifest.GetProperty("subjects")[0].GetProperty("pseudonym").GetString()!), manifest);
    }

    [Theory]
    [InlineData("loglinear")]
    [InlineData("nonlinear")]
    public void T2Fit_PhantomMese_MeanInFemoralCartilageMatchesTheManifest(string method)
    {
        var (subject, manifest) = Phantom();
        var truth = manifest.GetProperty("subjects")[0].GetProperty("regions")[0].GetProperty("true_t2_ms").GetDouble();

        var (exit, output, error) = CommandLineTests.Run("t2-fit", "--mese", Path.Combine(subject, "mese"), "--out", Path.Combine(folder, "fit"),
            "--method", method, "--mask", Path.Combine(subject, "segmentation", "cartilage.dcm"), "--segment", "1");

        Assert.True(exit == 0, error);
        var summary = JsonDocument.Parse(output).RootElement;
        Assert.InRange(summary.GetProperty("mean_t2_in_mask").GetDouble(), truth - 1, truth + 1);
        Assert.Equal(manifest.GetProperty("subjects")[0].GetProperty("regions")[0].GetProperty("voxels").GetInt32(), summary.GetProperty("voxels_fitted").GetInt32());
        Assert.Equal(6, Directory.GetFiles(Path.Combine(folder, "fit", "t2")).Length);
    }

    [Fact]
    public void T2Fit_WithoutAMask_SkipsBackgroundUnlessAskedToFitEveryVoxel()
    {
        var (subject, _) = Phantom();

        var (exit, output, error) = CommandLineTests.Run("t2-fit", "--mese", Path.Combine(subject, "mese"), "--out", Path.Combine(folder, "skip"));
        var (allExit, allOutput, allError) = CommandLineTests.Run("t2-fit", "--mese", Path.Combine(subject, "mese"), "--out", Path.Combine(folder, "all"), "--background", "0");

        Assert.True(exit == 0, error);
        Assert.True(allExit == 0, allError);
        var (skipped, all) = (JsonDocument.Parse(output).RootElement, JsonDocument.Parse(allOutput).RootElement);
        var background = skipped.GetProperty("background_skipped").GetInt32();
        Assert.True(background > 0, "the phantom has air around the knee");
        Assert.Equal(all.GetProperty("voxels_fitted").GetInt32(), skipped.GetProperty("voxels_fitted").GetInt32() + background);
        Assert.Equal(0, all.GetProperty("background_skipped").GetInt32());
        // Skipping air only removes voxels (noise that can pass the R² test by chance); it never adds a reliable one.
        Assert.InRange(skipped.GetProperty("voxels_fitted").GetInt32() - skipped.GetProperty("unreliable").GetInt32(),
            1, all.GetProperty("voxels_fitted").GetInt32() - all.GetProperty("unreliable").GetInt32());
    }

    [Fact]
    public void T2Fit_EnhancedMrMese_GivesExactlyTheMapOfTheClassicSeries()
    {
        var (subject, _) = Phantom();
        var enhanced = Path.Combine(folder, "enhanced");
        ReaderStudy.Testing.OtherToolkits.EnhancedMr(Directory.GetFiles(Path.Combine(subject, "mese")), Path.Combine(enhanced, "mese.dcm"));

        var (classicExit, _, classicError) = CommandLineTests.Run("t2-fit", "--mese", Path.Combine(subject, "mese"), "--out", Path.Combine(folder, "classic-fit"));
        var (exit, output, error) = CommandLineTests.Run("t2-fit", "--mese", enhanced, "--out", Path.Combine(folder, "enhanced-fit"));

        Assert.True(classicExit == 0, classicError);
        Assert.True(exit == 0, error);
        Assert.Equal([10.0, 20, 30, 40, 50, 60, 70], JsonDocument.Parse(output).RootElement.GetProperty("echo_times_ms").EnumerateArray().Select(e => e.GetDouble()));
        float[][] Map(string fit) => [.. Directory.GetFiles(Path.Combine(folder, fit, "t2")).Select(ReaderStudy.Imaging.Dicom.DicomReader.Read)
            .OrderBy(i => i.SlicePosition()).Select(i => i.Values())];
        Assert.Equal(Map("classic-fit"), Map("enhanced-fit"));
        // Each map slice names the frame it came from in the Enhanced MR file (Referenced Frame Number).
        var references = ReaderStudy.Testing.OtherToolkits.Run("dcmdump", [Directory.GetFiles(Path.Combine(folder, "enhanced-fit", "t2")).Order().First()]);
        Assert.Contains("ReferencedFrameNumber", references);
        Assert.Contains("EnhancedMRImageStorage", references);
    }

    [Fact]
    public void T2Fit_Dcm2niixEchoes_WritesNiftiMapsOnTheInputGrid_EqualToTheDicomFit()
    {
        var (subject, _) = Phantom();
        var nifti = ReaderStudy.Testing.OtherToolkits.Dcm2niix(Path.Combine(subject, "mese"), Path.Combine(folder, "nifti"), "mese");
        var (dicomExit, _, dicomError) = CommandLineTests.Run("t2-fit", "--mese", Path.Combine(subject, "mese"), "--out", Path.Combine(folder, "dicom-fit"));

        var (exit, output, error) = CommandLineTests.Run("t2-fit", "--mese", nifti, "--out", Path.Combine(folder, "nifti-fit"));

        Assert.True(dicomExit == 0, dicomError);
        Assert.True(exit == 0, error);
        var summary = JsonDocument.Parse(output).RootElement;
        Assert.Equal("nifti", summary.GetProperty("format").GetString());
        Assert.Equal([10.0, 20, 30, 40, 50, 60, 70], summary.GetProperty("echo_times_ms").EnumerateArray().Select(e => e.GetDouble()));
        var t2 = NiftiReader.Read(Path.Combine(folder, "nifti-fit", "t2.nii.gz"));
        var input = NiftiReader.Read(Path.Combine(nifti, "mese_e1.nii.gz"));
        Assert.Equal(input.Dimensions, t2.Dimensions);
        Assert.Equal(input.Affine, t2.Affine);
        var dicomMap = VolumeLoader.Stack([.. Directory.GetFiles(Path.Combine(folder, "dicom-fit", "t2")).Select(DicomReader.Read)], "dicom fit");
        var onDicomGrid = NiftiGeometry.OnDicomGrid(t2, 0, dicomMap.Geometry, "the DICOM fit");
        // The DICOM map is stored as 16-bit with a rescale slope; the NIfTI map is float32.
        var slope = dicomMap.Slices[0].Slope;
        Assert.All(onDicomGrid.Zip(dicomMap.Values), pair => Assert.True(Math.Abs(pair.First - pair.Second) <= slope, $"{pair.First} vs {pair.Second}"));
        foreach (var map in new[] { "s0", "r2", "reliable" })
        {
            Assert.Equal(input.Affine, NiftiReader.Read(Path.Combine(folder, "nifti-fit", map + ".nii.gz")).Affine);
        }
        Assert.Equal("ms", JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "nifti-fit", "t2.json"))).RootElement.GetProperty("Units").GetString());

        var (fourDExit, fourDOutput, fourDError) = FourD(nifti);
        Assert.True(fourDExit == 0, fourDError);
        Assert.Equal(t2.Values, NiftiReader.Read(Path.Combine(folder, "four-d-fit", "t2.nii.gz")).Values);
        Assert.Equal(summary.GetProperty("voxels_fitted").GetInt32(), JsonDocument.Parse(fourDOutput).RootElement.GetProperty("voxels_fitted").GetInt32());

        var (maskExit, maskOutput, maskError) = CommandLineTests.Run("t2-fit", "--mese", nifti, "--out", Path.Combine(folder, "masked-fit"),
            "--mask", Path.Combine(folder, "nifti-fit", "reliable.nii.gz"), "--segment", "1");
        Assert.True(maskExit == 0, maskError);
        Assert.Equal(summary.GetProperty("voxels_fitted").GetInt32() - summary.GetProperty("unreliable").GetInt32(),
            JsonDocument.Parse(maskOutput).RootElement.GetProperty("voxels_fitted").GetInt32());
    }

    private (int, string, string) FourD(string nifti)
    {
        var fourD = Directory.CreateDirectory(Path.Combine(folder, "four-d")).FullName;
        ReaderStudy.Testing.OtherToolkits.Nibabel(["stack4d", Path.Combine(fourD, "mese.nii.gz"), .. Enumerable.Range(1, 7).Select(e => Path.Combine(nifti, $"mese_e{e}.nii.gz"))]);
        return CommandLineTests.Run("t2-fit", "--mese", Path.Combine(fourD, "mese.nii.gz"), "--out", Path.Combine(folder, "four-d-fit"));
    }

    [Fact]
    public void T2Fit_AsAParametricMap_PassesDciodvfy_AndReadsBackAsTheFitsFloatValues()
    {
        var (subject, _) = Phantom();
        var mese = Path.Combine(subject, "mese");

        var (exit, _, error) = CommandLineTests.Run("t2-fit", "--mese", mese, "--out", Path.Combine(folder, "pm"), "--format", "parametric-map");
        var (floatExit, _, floatError) = CommandLineTests.Run("t2-fit", "--mese", mese, "--out", Path.Combine(folder, "float"), "--format", "nifti");

        Assert.True(exit == 0, error);
        Assert.True(floatExit == 0, floatError);
        var file = Assert.Single(Directory.GetFiles(Path.Combine(folder, "pm", "t2")));
        var validation = RunDciodvfy(file);
        Assert.Contains("ParametricMap", validation);
        Assert.DoesNotContain("Error", validation);
        var frames = DicomReader.ReadAll(file);
        Assert.Equal(6, frames.Count);
        var map = VolumeLoader.Stack(frames, "parametric map");
        var expected = NiftiReader.Read(Path.Combine(folder, "float", "t2.nii.gz")).Values;
        // Float32 in, float32 out: no 16-bit rounding (the MR image series would be off by up to half its slope).
        Assert.All(map.Values.Zip(expected), p => Assert.True(Math.Abs(p.First - p.Second) <= 1e-5 * Math.Max(1, Math.Abs(p.Second)), $"{p.First} vs {p.Second}"));
        Assert.Contains(map.Values, v => v != MathF.Round(v));
    }

    private static string RunDciodvfy(string file)
    {
        // dciodvfy writes its findings to stderr and exits 0 or 1 either way; what it says is the verdict.
        var start = new System.Diagnostics.ProcessStartInfo("dciodvfy", [file]) { RedirectStandardError = true, RedirectStandardOutput = true };
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var findings = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return output.Result + findings;
    }

    [Fact]
    public void T2Fit_NiftiInputAskedForDicomMaps_IsRefusedWithTheReason()
    {
        var (subject, _) = Phantom();
        var nifti = ReaderStudy.Testing.OtherToolkits.Dcm2niix(Path.Combine(subject, "mese"), Path.Combine(folder, "nifti"), "mese");

        var (exit, _, error) = CommandLineTests.Run("t2-fit", "--mese", nifti, "--out", Path.Combine(folder, "fit"), "--format", "dicom");

        Assert.Equal(2, exit);
        Assert.Contains("DICOM maps need DICOM input", error);
        Assert.False(Directory.Exists(Path.Combine(folder, "fit")));
    }

    [Fact]
    public void T2Fit_MeseWithAMissingEchoImage_IsRefusedClearly()
    {
        var (subject, _) = Phantom();
        File.Delete(Path.Combine(subject, "mese", "004-0015.dcm"));   // echo 3, slice 3

        var (exit, _, error) = CommandLineTests.Run("t2-fit", "--mese", Path.Combine(subject, "mese"), "--out", Path.Combine(folder, "fit"));

        Assert.NotEqual(0, exit);
        Assert.Contains("echo time 30 ms has 5 images, others 6: missing echo images", error);
    }

    [Fact]
    public void T2Fit_FolderWithoutMese_SaysWhatItFound()
    {
        var (subject, _) = Phantom();

        var (exit, _, error) = CommandLineTests.Run("t2-fit", "--mese", Path.Combine(subject, "dess"), "--out", Path.Combine(folder, "fit"));

        Assert.NotEqual(0, exit);
        Assert.Contains("no MESE series", error);
        Assert.Contains("SAG DESS", error);
    }

    [Fact]
    public void DicomInfo_SharedSamples_ReportsSeriesAndTheTruncatedFile()
    {
        var samples = ReaderStudy.Testing.SharedFolder.Path("dicom-samples");

        var (exit, output, _) = CommandLineTests.Run("dicom", "info", samples);

        Assert.Equal(0, exit);
        var json = JsonDocument.Parse(output).RootElement;
        var errors = json.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("file").GetString()!).ToList();
        Assert.Contains(errors, f => f.EndsWith("MR_truncated.dcm", StringComparison.Ordinal));
        var ct = json.GetProperty("series").EnumerateArray().Single(s => s.GetProperty("modality").GetString() == "CT");
        Assert.Equal("other", ct.GetProperty("classification").GetString());
        // CT is not a knee T2 series, but a CT study takes it: a classification, not a warning.
        Assert.Equal("modality CT, not MR", ct.GetProperty("classification_rule").GetString());
        Assert.DoesNotContain(ct.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("modality", StringComparison.Ordinal));
        Assert.Contains(json.GetProperty("series").EnumerateArray(), s => s.GetProperty("classification").GetString() == "segmentation");
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
