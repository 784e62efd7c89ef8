using System.Text.Json;
using ReaderStudy.Core.Phantom;
using ReaderStudy.Imaging.Dicom;
using ReaderStudy.Imaging.Nifti;
using ReaderStudy.Imaging.Phantom;
using ReaderStudy.Imaging.T2Mapping;
using ReaderStudy.Testing;

namespace ReaderStudy.Imaging.Tests;

/// <summary>The NIfTI reader and writer against nibabel and dcm2niix, and the geometry that ties NIfTI to DICOM.</summary>
public sealed class NiftiTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("readerstudy-nifti-").FullName;

    private static double[,] Matrix(JsonElement rows) =>
        JsonSerializer.Deserialize<double[][]>(rows.GetRawText())! is var r ? new double[,]
        {
            { r[0][0], r[0][1], r[0][2], r[0][3] }, { r[1][0], r[1][1], r[1][2], r[1][3] }, { r[2][0], r[2][1], r[2][2], r[2][3] }, { 0, 0, 0, 1 },
        } : throw new InvalidOperationException();

    private static void AssertAffine(double[,] expected, double[,] actual)
    {
        for (var r = 0; r < 4; r++)
        {
            for (var c = 0; c < 4; c++)
            {
                Assert.True(Math.Abs(expected[r, c] - actual[r, c]) < 1e-4, $"affine[{r},{c}]: expected {expected[r, c]}, got {actual[r, c]}");
            }
        }
    }

    [Fact]
    public void Read_FilesWrittenByNibabel_GiveTheirValuesAndAffine()
    {
        OtherToolkits.Nibabel("samples", folder);
        var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "expected.json"))).RootElement.EnumerateArray().ToList();

        Assert.Equal(5, expected.Count);
        foreach (var sample in expected)
        {
            var image = NiftiReader.Read(Path.Combine(folder, sample.GetProperty("file").GetString()!));

            Assert.Equal(sample.GetProperty("datatype").GetString(), image.Datatype);
            Assert.Equal([4, 3, 2, 1], image.Dimensions);
            Assert.Equal(sample.GetProperty("values").EnumerateArray().Select(v => (float)v.GetDouble()), image.Values);
            AssertAffine(Matrix(sample.GetProperty("affine")), image.Affine);
        }
    }

    [Fact]
    public void Read_AComplexImage_IsRefusedNamingItsDatatype()
    {
        OtherToolkits.Nibabel("samples", folder);

        var error = Assert.Throws<NiftiException>(() => NiftiReader.Read(Path.Combine(folder, "complex64.nii")));

        Assert.Contains("complex64.nii", error.Message);
        Assert.Contains("datatype complex64 is not supported", error.Message);
    }

    [Fact]
    public void Read_ATruncatedFile_IsRefusedAsTruncated()
    {
        OtherToolkits.Nibabel("samples", folder);
        var gz = File.ReadAllBytes(Path.Combine(folder, "float64_nifti2.nii.gz"));
        var raw = File.ReadAllBytes(Path.Combine(folder, "int16_scaled.nii"));
        File.WriteAllBytes(Path.Combine(folder, "cut.nii.gz"), gz[..(gz.Length / 2)]);
        File.WriteAllBytes(Path.Combine(folder, "cut.nii"), raw[..(raw.Length - 10)]);

        Assert.Contains("truncated", Assert.Throws<NiftiException>(() => NiftiReader.Read(Path.Combine(folder, "cut.nii.gz"))).Message);
        var error = Assert.Throws<NiftiException>(() => NiftiReader.Read(Path.Combine(folder, "cut.nii")));
        Assert.Contains("cut.nii", error.Message);
        Assert.Contains("truncated", error.Message);
    }

    [Theory]
    [InlineData("map.nii", 1)]
    [InlineData("map.nii.gz", 1)]
    [InlineData("map2.nii.gz", 2)]
    public void Write_NibabelReadsTheSameValuesAffineAndQform(string name, int version)
    {
        var affine = new double[,] { { 0, 0, 3, 6 }, { -1.875, 0, 0, 60 }, { 0, 1.875, 0, -58.125 }, { 0, 0, 0, 1 } };
        var values = Enumerable.Range(0, 5 * 4 * 3).Select(v => v * 0.25f - 3).ToArray();
        var path = Path.Combine(folder, name);

        NiftiWriter.Write(path, [5, 4, 3], values, affine, "T2 ms", version);
        OtherToolkits.Nibabel("dump", path, Path.Combine(folder, "dump.json"));

        var dump = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "dump.json"))).RootElement;
        Assert.Equal(version == 2 ? 2 : 1, dump.GetProperty("version").GetInt32());
        Assert.Equal([5, 4, 3], dump.GetProperty("shape").EnumerateArray().Select(v => v.GetInt32()));
        Assert.Equal(values, dump.GetProperty("values").EnumerateArray().Select(v => (float)v.GetDouble()));
        AssertAffine(affine, Matrix(dump.GetProperty("sform")));
        AssertAffine(affine, Matrix(dump.GetProperty("qform")));
        Assert.Equal((1, 1), (dump.GetProperty("qform_code").GetInt32(), dump.GetProperty("sform_code").GetInt32()));
        AssertAffine(affine, NiftiReader.Read(path).Affine);
    }

    private (string Mese, LoadedVolume FirstEcho) PhantomMese()
    {
        var manifest = PhantomGenerator.Generate(folder, 1, new KneePhantomOptions { Size = 32, Slices = 3, Seed = 9 });
        var mese = Path.Combine(folder, manifest.Subjects[0].Pseudonym, "mese");
        return (mese, MeseSeries.FromImages(DicomScanner.Scan([mese]).Images).FirstEcho);
    }

    [Fact]
    public void OnDicomGrid_Dcm2niixOutput_GivesBackTheDicomVoxels()
    {
        var (mese, firstEcho) = PhantomMese();
        OtherToolkits.Dcm2niix(mese, Path.Combine(folder, "nifti"), "mese");
        var echo1 = NiftiReader.Read(Path.Combine(folder, "nifti", "mese_e1.nii.gz"));

        var values = NiftiGeometry.OnDicomGrid(echo1, 0, firstEcho.Geometry, "the MESE series");

        Assert.Equal(firstEcho.Values, values);
        // dcm2niix stores rows bottom-up: the voxel order differs, so the test would fail on a plain copy.
        Assert.NotEqual(firstEcho.Values, echo1.Values);
        Assert.Equal([10.0], NiftiMese.EchoTimesMs(echo1.Path));
    }

    [Theory]
    [InlineData("2", "differ by up to 1 mm (tolerance 0.5 mm)")]   // 2 mm along the 3 mm slice axis: the nearest slice is 1 mm away
    [InlineData("3", "covers voxels outside that grid")]            // exactly one slice off: every voxel fits, on the wrong slice
    public void OnDicomGrid_AShiftedMap_IsRefusedNamingBothGrids(string mm, string reason)
    {
        var (mese, firstEcho) = PhantomMese();
        OtherToolkits.Dcm2niix(mese, Path.Combine(folder, "nifti"), "mese");
        OtherToolkits.Nibabel("shift", Path.Combine(folder, "nifti", "mese_e1.nii.gz"), Path.Combine(folder, "shifted.nii.gz"), mm);

        var error = Assert.Throws<NiftiException>(() =>
            NiftiGeometry.OnDicomGrid(NiftiReader.Read(Path.Combine(folder, "shifted.nii.gz")), 0, firstEcho.Geometry, "series 4 'SAG MESE'"));

        Assert.Contains("shifted.nii.gz", error.Message);
        Assert.Contains("series 4 'SAG MESE'", error.Message);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void NiftiMese_MissingOrContradictorySidecarsAndMixedGrids_AreRefusedByFile()
    {
        var (mese, _) = PhantomMese();
        var nifti = OtherToolkits.Dcm2niix(mese, Path.Combine(folder, "nifti"), "mese");
        var echoes = Enumerable.Range(1, 7).Select(e => Path.Combine(nifti, $"mese_e{e}.nii.gz")).ToArray();
        Directory.CreateDirectory(Path.Combine(folder, "four-d"));
        OtherToolkits.Nibabel(["stack4d", Path.Combine(folder, "four-d", "mese.nii.gz"), .. echoes[..6]]);
        File.WriteAllText(Path.Combine(folder, "four-d", "mese.json"), """{"EchoTime": [0.01, 0.02, 0.03, 0.04, 0.05]}""");

        var contradictory = Assert.Throws<NiftiException>(() => NiftiMese.Load(Path.Combine(folder, "four-d", "mese.nii.gz")));
        Assert.Contains("6 volumes but its sidecar gives 5 echo time(s)", contradictory.Message);

        File.Delete(Path.Combine(nifti, "mese_e3.json"));
        var missing = Assert.Throws<NiftiException>(() => NiftiMese.Load(nifti));
        Assert.Contains("mese_e3.nii.gz: no JSON sidecar", missing.Message);

        File.WriteAllText(Path.Combine(nifti, "mese_e3.json"), """{"EchoTime": 0.03}""");
        OtherToolkits.Nibabel("shift", echoes[4], echoes[4], "1");
        var mixed = Assert.Throws<NiftiException>(() => NiftiMese.Load(nifti));
        Assert.Contains("mese_e5.nii.gz: grid", mixed.Message);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
