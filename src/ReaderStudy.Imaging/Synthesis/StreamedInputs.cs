using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using ReaderStudy.Imaging.Dicom;

namespace ReaderStudy.Imaging.Synthesis;

/// <summary>
/// A generator's inputs read while the model runs: every file's header first (where each slice goes), then the pixels
/// slice by slice in slice order, every channel's slice together, so the model starts on its first batch while later
/// slices are still being decoded (on a GPU the model would otherwise wait for the whole read).
/// </summary>
internal sealed class StreamedInputs : IDisposable
{
    private readonly IReadOnlyList<(IReadOnlyList<DicomImage> Headers, VolumeGeometry Geometry)> series;
    private readonly DicomImage[][] decoded;
    private readonly int[] channelsLeft;
    private readonly bool[] sliceDone;
    private readonly object gate = new();
    private readonly CancellationTokenSource stop = new();
    private readonly Task reading;
    private readonly int sliceLength;
    private int ready;
    private ExceptionDispatchInfo? failure;

    private StreamedInputs(IReadOnlyList<(IReadOnlyList<DicomImage> Headers, VolumeGeometry Geometry)> series)
    {
        this.series = series;
        var geometry = series[0].Geometry;
        sliceLength = geometry.Rows * geometry.Columns;
        Channels = [.. series.Select(_ => GC.AllocateUninitializedArray<float>(sliceLength * geometry.Slices))];
        decoded = [.. series.Select(_ => new DicomImage[geometry.Slices])];
        channelsLeft = [.. Enumerable.Repeat(series.Count, geometry.Slices)];
        sliceDone = new bool[geometry.Slices];
        // Its own thread drives the read: the model's filling threads wait on it, and must not be what it waits for.
        reading = Task.Factory.StartNew(ReadPixels, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Each channel's values, slices × rows × columns; a slice may be read only after <see cref="WaitForSlices"/> says it is there.</summary>
    public IReadOnlyList<float[]> Channels { get; }

    /// <summary>Starts reading the pixels of series whose headers are known, all on one grid.</summary>
    public static StreamedInputs Start(IReadOnlyList<(IReadOnlyList<DicomImage> Headers, VolumeGeometry Geometry)> series) => new(series);

    /// <summary>The headers of one series in slice order, and its grid; null when a file is not one plain single-frame image
    /// or the files hold more than one series (such inputs are read whole, which reports what is wrong with them).</summary>
    public static (IReadOnlyList<DicomImage> Headers, VolumeGeometry Geometry)? Headers(IReadOnlyList<string> paths, string name)
    {
        var files = DicomScanner.Files(paths);
        var headers = new DicomImage?[files.Count];
        Parallel.For(0, files.Count, i =>
        {
            try
            {
                headers[i] = DicomReader.ReadHeader(files[i]);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Left to the whole read, which says what is wrong with the file.
                headers[i] = null;
            }
        });
        if (files.Count == 0 || headers.Any(h => h is null) || headers.Select(h => h!.SeriesInstanceUid).Distinct().Count() != 1)
        {
            return null;
        }
        return VolumeLoader.Arrange([.. headers.Select(h => h!)], name);
    }

    /// <summary>Blocks until the first <paramref name="slices"/> slices of every channel are in place; throws what stopped the read.</summary>
    public void WaitForSlices(int slices)
    {
        lock (gate)
        {
            while (ready < slices && failure is null)
            {
                Monitor.Wait(gate);
            }
            failure?.Throw();
        }
    }

    /// <summary>After the model: every channel as the volume a whole read would give (its decoded images, in slice order).</summary>
    public IReadOnlyList<LoadedVolume> Volumes()
    {
        reading.GetAwaiter().GetResult();
        failure?.Throw();
        return [.. series.Select((s, c) => new LoadedVolume(s.Headers[0].SeriesInstanceUid, s.Headers[0].SeriesDescription, s.Geometry, Channels[c], decoded[c]))];
    }

    private void ReadPixels()
    {
        var (channels, slices) = (series.Count, series[0].Geometry.Slices);
        // Handed out one at a time in order (no range partitioning), so the slices the model needs first are read first.
        var order = Partitioner.Create(Enumerable.Range(0, channels * slices), EnumerablePartitionerOptions.NoBuffering);
        try
        {
            Parallel.ForEach(order, new ParallelOptions { CancellationToken = stop.Token }, item =>
            {
                var (slice, channel) = (item / channels, item % channels);
                var header = series[channel].Headers[slice];
                var image = DicomReader.Read(header.Path);
                if (image.StoredValues.Length != sliceLength || image.SopInstanceUid != header.SopInstanceUid)
                {
                    throw new DicomReadException($"{header.Path}: changed while it was read (its pixels no longer match its header).", header.SeriesInstanceUid);
                }
                image.ValuesInto(Channels[channel].AsSpan(slice * sliceLength, sliceLength));
                decoded[channel][slice] = image;
                if (Interlocked.Decrement(ref channelsLeft[slice]) == 0)
                {
                    lock (gate)
                    {
                        sliceDone[slice] = true;
                        while (ready < slices && sliceDone[ready])
                        {
                            ready++;
                        }
                        Monitor.PulseAll(gate);
                    }
                }
            });
        }
        catch (Exception e)
        {
            lock (gate)
            {
                failure = ExceptionDispatchInfo.Capture(e is AggregateException { InnerExceptions.Count: > 0 } all ? all.InnerExceptions[0] : e);
                Monitor.PulseAll(gate);
            }
        }
    }

    public void Dispose()
    {
        stop.Cancel();
        reading.ContinueWith(_ => { }, TaskScheduler.Default).Wait();
        stop.Dispose();
    }
}
