using ReaderStudy.Core.Phantom;
using ReaderStudy.Core.Series;
using ReaderStudy.Imaging.Dicom;
using ReaderStudy.Imaging.Phantom;
using ReaderStudy.Testing;

namespace ReaderStudy.Imaging.Tests;

/// <summary>An Enhanced MR MESE written by pydicom reads exactly as the classic single-frame series it was made from.</summary>
public sealed class EnhancedMrTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("readerstudy-enhanced-").FullName;

    private string[] ClassicMese()
    {
        var manifest = PhantomGenerator.Generate(folder, 1, new KneePhantomOptions { Size = 40, Slices = 3, Seed = 5 });
        return Directory.GetFiles(Path.Combine(folder, manifest.Subjects[0].Pseudonym, "mese"));
    }

    private static (double, double) Key(DicomImage image) => (image.EchoTime ?? -1, Math.Round(image.SlicePosition(), 3));

    private static void AssertSameImages(IReadOnlyList<DicomImage> classic, IReadOnlyList<DicomImage> frames)
    {
        Assert.Equal(classic.Count, frames.Count);
        var byKey = frames.ToDictionary(Key);
        foreach (var image in classic)
        {
            var frame = byKey[Key(image)];
            Assert.Equal(image.Values(), frame.Values());
            Assert.Equal(image.PixelSpacing, frame.PixelSpacing);
            Assert.Equal(image.ImageOrientation, frame.ImageOrientation);
            Assert.Equal(image.ImagePosition, frame.ImagePosition);
            Assert.Equal(image.RepetitionTime, frame.RepetitionTime);
        }
    }

    [Theory]
    [InlineData("slice-outer")]
    [InlineData("echo-outer")]
    [InlineData("shuffled")]
    public void ReadAll_EnhancedMese_InAnyFrameOrder_GivesTheClassicSeriesImages(string order)
    {
        var classic = ClassicMese();
        var enhanced = OtherToolkits.EnhancedMr(classic, Path.Combine(folder, "enhanced", "mese.dcm"), order);

        var frames = DicomReader.ReadAll(enhanced);

        AssertSameImages([.. classic.Select(DicomReader.Read)], frames);
        Assert.All(frames, f => Assert.Equal(enhanced, f.SourcePath));
        Assert.Equal(Enumerable.Range(1, classic.Length), frames.Select(f => f.SourceFrame!.Value));
    }

    [Fact]
    public void ReadAll_IntoASplitFolder_WritesSingleFrameMrImagesThatReadTheSame()
    {
        var classic = ClassicMese();
        var enhanced = OtherToolkits.EnhancedMr(classic, Path.Combine(folder, "enhanced", "mese.dcm"), "shuffled");

        var split = DicomReader.ReadAll(enhanced, Path.Combine(folder, "split"));

        AssertSameImages([.. classic.Select(DicomReader.Read)], split);
        Assert.Equal(classic.Length, Directory.GetFiles(Path.Combine(folder, "split")).Length);
        Assert.All(split, image =>
        {
            Assert.Equal(DicomUids.MrImageStorage, image.SopClassUid);
            Assert.Equal(1, image.Frames);
            Assert.Equal(enhanced, image.SourcePath);
            Assert.StartsWith(Path.Combine(folder, "split"), image.Path);
            // Read back as a plain file: nothing of the multi-frame file is needed any more.
            Assert.Equal(image.Values(), DicomReader.Read(image.Path).Values());
        });
        Assert.Equal(classic.Length, split.Select(i => i.SopInstanceUid).Distinct().Count());
    }

    [Fact]
    public void Scan_EnhancedMese_IsClassifiedAsMeseWithItsEchoTimes()
    {
        var classic = ClassicMese();
        OtherToolkits.EnhancedMr(classic, Path.Combine(folder, "enhanced", "mese.dcm"));

        var scan = DicomScanner.Scan([Path.Combine(folder, "enhanced")], keepPixels: false);

        var series = Assert.Single(scan.Series);
        Assert.Equal(SeriesKind.Mese, series.Classification);
        Assert.Equal([10.0, 20, 30, 40, 50, 60, 70], series.EchoTimesMs);
        Assert.Equal(1, series.Files);
        Assert.Equal(classic.Length, series.Frames);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
