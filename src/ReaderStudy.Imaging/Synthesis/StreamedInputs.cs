using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using ReaderStudy.Imaging.Dicom;

namespace ReaderStudy.Imaging.Synthesis;

/// <summary>
/// A generator's inputs read while the model runs: every file's header first (where each slice goes), then the pixels
/// slice by slice in slice order, the channels abreast, so the model starts on its first batch while later slices are
/// still being decoded (on a GPU the model would otherwise wait for the whole read).
/// </summary>
internal sealed class StreamedInputs : IDisposable
{
    private readonly IReadOnlyList<(IReadOnlyList<DicomImage> Headers, VolumeGeometry Geometry)> series;
    private readonly DicomImage[][] decoded;
    private readonly bool[][] sliceDone;
    private readonly int[] ready;
    private readonly object gate = new();
    private readonly CancellationTokenSource stop = new();
    private readonly Task reading;
    private ExceptionDispatchInfo? failure;

    private StreamedInputs(IReadOnlyList<(IReadOnlyList<DicomImage> Headers, VolumeGeometry Geometry)> series)
    {
        this.series = series;
        Channels = [.. series.Select(s => GC.AllocateUninitializedArray<float>(s.Geometry.Rows * s.Geometry.Columns * s.Geometry.Slices))];
        decoded = [.. series.Select(s => new DicomImage[s.Geometry.Slices])];
        sliceDone = [.. series.Select(s => new bool[s.Geometry.Slices])];
        ready = new int[series.Count];
        // Its own thread drives the read: the model's filling threads wait on it, and must not be what it waits for.
        reading = Task.Factory.StartNew(ReadPixels, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Each channel's values on its own grid, slices × rows × columns; a slice may be read only once
    /// <see cref="WaitFor"/> has said it is there.</summary>
    public IReadOnlyList<float[]> Channels { get; }

    /// <summary>Starts reading the pixels of series whose headers are known.</summary>
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

    /// <summary>Blocks until the first <paramref name="slices"/> slices of <paramref name="channel"/> are in place; throws what stopped the read.</summary>
    public void WaitFor(int channel, int slices)
    {
        lock (gate)
        {
            while (ready[channel] < slices && failure is null)
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
        // Slices in order of their place in their own stack, so channels of different depths arrive abreast; handed out one
        // at a time (no range partitioning), so the slices the model needs first are read first.
        var items = series.SelectMany((s, c) => Enumerable.Range(0, s.Geometry.Slices).Select(slice => (Channel: c, Slice: slice)))
            .OrderBy(i => (i.Slice + 0.5) / series[i.Channel].Geometry.Slices).ThenBy(i => i.Channel).ToList();
        try
        {
            Parallel.ForEach(Partitioner.Create(items, EnumerablePartitionerOptions.NoBuffering), new ParallelOptions { CancellationToken = stop.Token }, item =>
            {
                var (channel, slice) = item;
                var (header, geometry) = (series[channel].Headers[slice], series[channel].Geometry);
                var length = geometry.Rows * geometry.Columns;
                var image = DicomReader.Read(header.Path);
                if (image.StoredValues.Length != length || image.SopInstanceUid != header.SopInstanceUid)
                {
                    throw new DicomReadException($"{header.Path}: changed while it was read (its pixels no longer match its header).", header.SeriesInstanceUid);
                }
                image.ValuesInto(Channels[channel].AsSpan(slice * length, length));
                decoded[channel][slice] = image;
                lock (gate)
                {
                    sliceDone[channel][slice] = true;
                    while (ready[channel] < geometry.Slices && sliceDone[channel][ready[channel]])
                    {
                        ready[channel]++;
                    }
                    Monitor.PulseAll(gate);
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
