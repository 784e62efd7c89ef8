using System.Diagnostics;
using ReaderStudy.Core.Phantom;
using ReaderStudy.Core.Series;
using ReaderStudy.Imaging.Dicom;
using ReaderStudy.Imaging.Phantom;

namespace ReaderStudy.Imaging.Tests;

public sealed class PhantomStudyWriterTests : IDisposable
{
    private static readonly KneePhantomOptions Small = new() { Size = 64, Slices = 4, Seed = 11 };
    private readonly string folder = Directory.CreateTempSubdirectory("readerstudy-phantom-").FullName;

    [Fact]
    public void Generate_WritesEverySeriesAndTheManifest()
    {
        var manifest = PhantomGenerator.Generate(folder, 2, Small);

        Assert.Equal(2, manifest.Subjects.Count);
        var scan = DicomScanner.Scan([Path.Combine(folder, manifest.Subjects[0].Pseudonym)]);
        Assert.Empty(scan.Errors);
        Assert.Equal(
            [SeriesKind.Anatomic, SeriesKind.Anatomic, SeriesKind.Anatomic, SeriesKind.Mese, SeriesKind.T2Map, SeriesKind.Segmentation],
            scan.Series.Select(s => s.Classification));
        var mese = scan.Series.Single(s => s.Classification == SeriesKind.Mese);
        Assert.Equal([10.0, 20, 30, 40, 50, 60, 70], mese.EchoTimesMs);
        Assert.Equal(28, mese.Files);
        Assert.True(File.Exists(Path.Combine(folder, "manifest.json")));
        Assert.Equal(CartilageRegion.All.Count, manifest.Subjects[0].Regions.Count);
    }

    [Fact]
    public void Write_TruthMapAndSegmentation_ReadBackToTheSubjectsValues()
    {
        var subject = KneePhantom.Generate(0, Small);
        PhantomStudyWriter.Write(folder, subject);
        var subjectFolder = Path.Combine(folder, subject.Pseudonym);

        var truth = Directory.GetFiles(Path.Combine(subjectFolder, "t2-truth")).Select(DicomReader.Read).OrderBy(i => i.SlicePosition()).ToList();
        var values = truth.SelectMany(i => i.Values()).ToArray();
        Assert.All(subject.TrueT2.Zip(values), p => Assert.InRange(p.Second, p.First - 0.02f, p.First + 0.02f));

        var seg = DicomSegmentation.Read(Path.Combine(subjectFolder, "segmentation", "cartilage.dcm"));
        var positions = truth.Select(i => i.SlicePosition()).ToList();
        var normal = VolumeGeometry.Sagittal(64, 4, 1, 1).Normal;
        Assert.Equal(CartilageRegion.All.Select(r => (r.Number, r.Name)), seg.Segments);
        foreach (var region in CartilageRegion.All)
        {
            var expected = Enumerable.Range(0, subject.VoxelCount).Select(v => subject.InRegion(v, region)).ToArray();
            Assert.Equal(expected, seg.MaskFor(region.Number, positions, normal));
        }
        // One slice at a time, for outlines: each voxel the highest region covering it, as the whole-volume masks say.
        var sliceLength = subject.VoxelCount / positions.Count;
        var placed = seg.LabelsOnEachSlice(positions, normal);
        Assert.Equal(positions.Count, placed.Length);
        for (var slice = 0; slice < positions.Count; slice++)
        {
            var expected = Enumerable.Range(slice * sliceLength, sliceLength)
                .Select(v => (byte)(CartilageRegion.All.Where(r => subject.InRegion(v, r)).Select(r => r.Number).DefaultIfEmpty(0).Max())).ToArray();
            Assert.Equal(expected, placed[slice] ?? new byte[sliceLength]);
        }
        Assert.Contains(placed[positions.Count / 2]!, b => b != 0);
    }

    [Fact]
    public void Generate_SameSeed_WritesIdenticalFiles()
    {
        var other = Directory.CreateTempSubdirectory("readerstudy-phantom-").FullName;
        try
        {
            var a = PhantomGenerator.Generate(folder, 1, Small);
            PhantomGenerator.Generate(other, 1, Small);
            var relative = Path.Combine(a.Subjects[0].Pseudonym, "mese", "004-0009.dcm");

            Assert.Equal(File.ReadAllBytes(Path.Combine(folder, relative)), File.ReadAllBytes(Path.Combine(other, relative)));
        }
        finally
        {
            Directory.Delete(other, recursive: true);
        }
    }

    [Fact]
    public void Phantom_EveryFilePassesDcmdump_AndTheT2MapAndSegmentationPassDciodvfy()
    {
        var manifest = PhantomGenerator.Generate(folder, 1, Small with { Slices = 2 });
        var files = Directory.GetFiles(folder, "*.dcm", SearchOption.AllDirectories);

        Assert.Equal(manifest.Subjects[0].Series.Sum(s => s.Files), files.Length);
        foreach (var file in files)
        {
            var (exit, output) = Tool.Run("dcmdump", file);
            Assert.True(exit == 0 && !output.Contains("E: "), $"{file}: {output[..Math.Min(400, output.Length)]}");
        }
        var t2Map = Directory.GetFiles(Path.Combine(folder, manifest.Subjects[0].Pseudonym, "t2-truth"))[0];
        Assert.DoesNotContain("Error", Tool.Run("dciodvfy", t2Map).Output);
        // The SEG too: equipment, and the source instance of every frame.
        var segmentation = Path.Combine(folder, manifest.Subjects[0].Pseudonym, "segmentation", "cartilage.dcm");
        Assert.DoesNotContain("Error", Tool.Run("dciodvfy", segmentation).Output);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}

internal static class Tool
{
    public static (int Exit, string Output) Run(string tool, string file)
    {
        using var process = Process.Start(new ProcessStartInfo(tool, [file]) { RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new InvalidOperationException($"{tool} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result + error);
    }
}
