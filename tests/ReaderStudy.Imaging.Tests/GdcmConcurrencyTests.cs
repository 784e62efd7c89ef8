using ReaderStudy.Imaging.Dicom;

namespace ReaderStudy.Imaging.Tests;

/// <summary>
/// GDCM through SWIG on many threads, as the portal uses it: the trace capture (on only inside a capture, its file
/// emptied from our side) must still report a truncated file; and a sequence handed to GDCM must not be freed by
/// the .NET collector under it (the segfaults in DataElement.SetValue that crashed whole test runs; the second test
/// crashes the test host without <c>GC.KeepAlive</c> in <see cref="DataSetBuilder"/>.Sequence, checked by hand); and
/// an attribute's VR, which the de-identifier reads on every core, must be its own, not another thread's.
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

    [Fact]
    public void SequencesBuiltWhileTheCollectorRuns_SurviveTheirOwnFinalizers()
    {
        // A DICOM sequence is handed to GDCM as a bare reference to an object whose only owner is a .NET proxy: a
        // collection between the two used to free it under GDCM (segfaults in DataElement.SetValue in test runs).
        using var stop = new CancellationTokenSource();
        var collector = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        });
        try
        {
            Parallel.For(0, 2, _ =>
            {
                for (var i = 0; i < 100_000; i++)
                {
                    Assert.Equal("T2", DataSetBuilder.ThroughASequence("T2"));
                }
            });
        }
        finally
        {
            stop.Cancel();
            collector.Wait();
        }
    }

    [Fact]
    public void VrOfAttributes_ReadOnManyThreadsAtOnce_IsEachAttributesOwn()
    {
        // GDCM's SWIG VR.toString() returns a buffer shared by every thread: an import that de-identified on every
        // core once read "DI" (DA and UI mixed) and stopped. Each thread reads attributes of different VRs, explicit
        // and from the dictionary (implicit VR files), many times over.
        (ushort Group, ushort Element, string Vr)[] attributes =
            [(0x0008, 0x0020, "DA"), (0x0020, 0x000D, "UI"), (0x0010, 0x0010, "PN"), (0x0008, 0x0060, "CS"), (0x0018, 0x0050, "DS"), (0x0020, 0x0013, "IS")];
        var wrong = 0;
        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, worker =>
            Interlocked.Add(ref wrong, Deidentifier.WrongVrReads([.. attributes.Skip(worker), .. attributes.Take(worker)], 100_000)));
        Assert.Equal(0, wrong);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
