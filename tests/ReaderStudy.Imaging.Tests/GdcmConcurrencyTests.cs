using ReaderStudy.Imaging.Dicom;

namespace ReaderStudy.Imaging.Tests;

/// <summary>
/// GDCM shares one trace stream per process; reads capture it (for "Incomplete Pixel Data"). The trace is now off
/// outside captures and its file is emptied from our side instead of reopening GDCM's stream (a reopen under a GDCM
/// writer on another thread is the likeliest cause of a segfault seen once in the browser tests; this test did not
/// reproduce that crash with the old code, so it guards what the new code must keep: the truncation warning still
/// reaches the reader when the file is emptied every few reads, with readers and writers on many threads).
/// </summary>
public sealed class GdcmConcurrencyTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("readerstudy-gdcm-threads-").FullName;

    [Fact]
    public void TraceEmptiedEveryFewReads_UnderReadersAndWritersOnManyThreads_StillReportsATruncatedFile()
    {
        var geometry = VolumeGeometry.Sagittal(16, 2, 1, 3);
        var series = new SeriesInfo
        {
            PatientName = "P", PatientId = "P", StudyInstanceUid = DicomUids.New(), SeriesInstanceUid = DicomUids.New(), FrameOfReferenceUid = DicomUids.New(),
            SeriesNumber = 1, SeriesDescription = "T2 map", ImageType = "DERIVED\\SECONDARY\\T2 MAP", Units = "ms", QuantityLabel = "T2",
        };
        // Non-integral values: stored with a rescale slope, which GDCM comments on at every read of an MR image.
        var map = DicomSeriesWriter.Write(Path.Combine(folder, "map"), series, geometry, [.. Enumerable.Range(0, 512).Select(i => i * 0.37f)])[0];
        var truncated = Path.Combine(folder, "truncated.dcm");
        var bytes = File.ReadAllBytes(map);
        File.WriteAllBytes(truncated, bytes[..(bytes.Length - 100)]);

        // Emptied every few reads (it was reopened every 1 MiB, when the crashes came).
        GdcmWarnings.MaxTraceBytes = 4096;
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 300; i++)
            {
                Assert.Equal(256, DicomReader.Read(map).StoredValues.Length);
            }
        }));
        var writers = Enumerable.Range(0, 2).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < 60; i++)
            {
                DicomSeriesWriter.Write(Path.Combine(folder, $"w{w}-{i}"), series with { SeriesInstanceUid = DicomUids.New() }, geometry, new float[512]);
            }
        }));
        try
        {
            Task.WaitAll([.. readers, .. writers]);
        }
        finally
        {
            GdcmWarnings.MaxTraceBytes = 1 << 20;
        }

        Assert.Contains("cut short", Assert.Throws<DicomReadException>(() => DicomReader.Read(truncated)).Message);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
