using ReaderStudy.Core.Phantom;
using ReaderStudy.Imaging.Dicom;
using ReaderStudy.Imaging.Phantom;

namespace ReaderStudy.Imaging.Tests;

public sealed class DicomScannerTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("readerstudy-scan-").FullName;

    [Fact]
    public void HeadersOnlyScan_KeepsNoPixels_ButStillDecodesEveryFile_SoATruncatedOneIsCaught()
    {
        PhantomGenerator.Generate(folder, 1, new KneePhantomOptions { Size = 32, Slices = 2, Seed = 4 });
        var dess = Directory.GetFiles(folder, "*.dcm", SearchOption.AllDirectories).Where(f => f.Contains($"{Path.DirectorySeparatorChar}dess{Path.DirectorySeparatorChar}")).Order().ToList();
        var bytes = File.ReadAllBytes(dess[0]);
        File.WriteAllBytes(dess[0], bytes[..^200]);   // cut into the pixel data

        var scan = DicomScanner.Scan([folder], keepPixels: false);

        Assert.All(scan.Images, image => Assert.Empty(image.StoredValues));
        Assert.Contains(scan.Errors, e => e.File == dess[0] && e.Error.Contains("truncated", StringComparison.Ordinal));
        var withPixels = DicomScanner.Scan([folder]);
        Assert.All(withPixels.Images, image => Assert.Equal(image.Rows * image.Columns * image.Frames, image.StoredValues.Length));
        Assert.Equal(scan.Series.Select(s => (s.SeriesInstanceUid, s.Files, s.Classification)), withPixels.Series.Select(s => (s.SeriesInstanceUid, s.Files, s.Classification)));
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
