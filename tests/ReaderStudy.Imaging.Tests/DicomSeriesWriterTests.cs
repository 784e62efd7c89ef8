using ReaderStudy.Imaging.Dicom;

namespace ReaderStudy.Imaging.Tests;

public sealed class DicomSeriesWriterTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("readerstudy-write-").FullName;

    private static SeriesInfo T2Map(string source) => new()
    {
        PatientName = "PHANTOM^001",
        PatientId = "PHANTOM-001",
        StudyInstanceUid = DicomUids.New(),
        SeriesInstanceUid = DicomUids.New(),
        FrameOfReferenceUid = DicomUids.New(),
        SeriesNumber = 900,
        SeriesDescription = "T2 map (log-linear fit)",
        ImageType = "DERIVED\\SECONDARY\\T2 MAP",
        Units = "ms",
        QuantityLabel = "T2",
        Sources = [new SourceSeries(source, [DicomUids.New(), DicomUids.New()])],
        DerivationDescription = "Mono-exponential fit of a MESE echo train",
    };

    [Fact]
    public void Write_T2Map_ReadsBackInMillisecondsWithGeometry()
    {
        var geometry = VolumeGeometry.Sagittal(size: 8, slices: 3, inPlaneMm: 0.3125, sliceMm: 3);
        var values = Enumerable.Range(0, 8 * 8 * 3).Select(i => (float)(i * 0.37)).ToArray();

        var files = DicomSeriesWriter.Write(folder, T2Map(DicomUids.New()), geometry, values);

        Assert.Equal(3, files.Count);
        var slices = files.Select(DicomReader.Read).OrderBy(s => s.SlicePosition()).ToList();
        var read = slices.SelectMany(s => s.Values()).ToArray();
        Assert.All(values.Zip(read), p => Assert.InRange(p.Second, p.First - 0.003f, p.First + 0.003f));
        Assert.Equal([0.3125, 0.3125], slices[0].PixelSpacing);
        Assert.Equal([0.0, 1, 0, 0, 0, -1], slices[0].ImageOrientation);
        Assert.Equal(3, slices[2].SlicePosition() - slices[1].SlicePosition(), 6);
        Assert.Equal("DERIVED\\SECONDARY\\T2 MAP", slices[0].ImageType);
    }

    [Fact]
    public void Write_ManySlicesOnSeveralThreads_EveryFileNamesEverySourceImage()
    {
        // The Referenced Series Sequence is built once per writing thread and copied into each slice: every file, whichever
        // thread wrote it, must still name all source images, and its own source slice in each source series.
        var geometry = VolumeGeometry.Sagittal(size: 8, slices: 40, inPlaneMm: 0.5, sliceMm: 2);
        SourceSeries[] sources = [.. Enumerable.Range(0, 2).Select(_ => new SourceSeries(DicomUids.New(), [.. Enumerable.Range(0, 40).Select(_ => DicomUids.New())]))];
        var series = T2Map(DicomUids.New()) with { Sources = sources };

        var files = DicomSeriesWriter.Write(folder, series, geometry, new float[8 * 8 * 40]);

        Assert.All(files.Select((path, slice) => (path, slice)), f =>
        {
            var (exit, dump) = Tool.Run("dcmdump", f.path);
            Assert.Equal(0, exit);
            var named = dump.Split('\n').Where(line => line.Contains("ReferencedSOPInstanceUID")).Select(line => line[(line.IndexOf('[') + 1)..line.IndexOf(']')]).ToList();
            // 80 in the Referenced Series Sequence, then this slice's source image in each of the two series.
            Assert.Equal(82, named.Count);
            Assert.Equal(sources.SelectMany(s => s.SopInstanceUids).Order(), named.Take(80).Order());
            Assert.Equal(sources.Select(s => s.SopInstanceUids[f.slice]), named.Skip(80));
        });
    }

    [Fact]
    public void Write_ManySlices_EachFileIsItsSliceInOrder()
    {
        // Slices are written in parallel: each file must still hold its own slice, numbered in order.
        var geometry = VolumeGeometry.Sagittal(size: 16, slices: 40, inPlaneMm: 0.5, sliceMm: 2);
        var values = Enumerable.Range(0, 16 * 16 * 40).Select(i => (float)(i / 256) + (i % 256) / 1000f).ToArray();

        var files = DicomSeriesWriter.Write(folder, T2Map(DicomUids.New()), geometry, values);

        Assert.Equal(40, files.Count);
        Assert.All(files.Select((path, slice) => (path, slice)), f =>
        {
            var read = DicomReader.Read(f.path);
            Assert.Equal(f.slice + 1, read.InstanceNumber);
            Assert.Equal(f.slice, read.Values()[0], 0.003f);
            Assert.Equal(geometry.SliceOrigin(f.slice)[0], read.ImagePosition[0], 3);
        });
    }

    [Fact]
    public void Write_SliceThatCannotBeWritten_IsAnIOExceptionNamingTheFile()
    {
        // A folder where slice 3's file would go: the write fails there, and the caller sees the IOException itself.
        var geometry = VolumeGeometry.Sagittal(size: 8, slices: 6, inPlaneMm: 0.3125, sliceMm: 3);
        Directory.CreateDirectory(Path.Combine(folder, "900-0003.dcm"));

        var e = Assert.Throws<IOException>(() => DicomSeriesWriter.Write(folder, T2Map(DicomUids.New()), geometry, new float[8 * 8 * 6]));

        Assert.Contains("900-0003.dcm", e.Message);
    }

    [Fact]
    public void Write_IntegralValues_AreStoredAsTheyAre()
    {
        var geometry = VolumeGeometry.Sagittal(size: 4, slices: 1, inPlaneMm: 1, sliceMm: 1);
        var values = Enumerable.Range(0, 16).Select(i => (float)(i * 1000)).ToArray();

        var file = DicomSeriesWriter.Write(folder, T2Map(DicomUids.New()) with { Units = null, ImageType = "ORIGINAL\\PRIMARY\\M" }, geometry, values)[0];

        var image = DicomReader.Read(file);
        Assert.Equal((1.0, 0.0), (image.Slope, image.Intercept));
        Assert.Equal(values.Select(v => (int)v), image.StoredValues);
    }

    [Fact]
    public void Write_T2Map_PassesDcmdumpAndDciodvfy()
    {
        var geometry = VolumeGeometry.Sagittal(size: 16, slices: 1, inPlaneMm: 0.5, sliceMm: 3);
        var file = DicomSeriesWriter.Write(folder, T2Map(DicomUids.New()), geometry, new float[256])[0];

        var (dumpExit, dump) = Tool.Run("dcmdump", file);
        var (_, verify) = Tool.Run("dciodvfy", file);

        Assert.True(dumpExit == 0, dump);
        Assert.Contains("RealWorldValueMappingSequence", dump);
        Assert.DoesNotContain("Error", verify);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
