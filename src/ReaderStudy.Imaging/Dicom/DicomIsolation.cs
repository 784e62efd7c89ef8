namespace ReaderStudy.Imaging.Dicom;

/// <summary>
/// Decodes untrusted files in a worker process, never in the portal's: the worker announces each file, decodes it
/// and sends back its header (or its ordinary refusal). A file it never finishes (the worker died or hung) is
/// refused, named with its modality, and the worker is started again on the files after it. One worker serves a
/// whole upload (or one per core for a large one, each with its share of the files), and a worker that finished its
/// files in good order is kept a while for the next upload, so most uploads start no process at all. Decoders can crash on one run and not the next (OpenJPEG on a
/// corrupt tile did so in the fuzz tests), so the portal does not decode a survivor a second time itself.
/// </summary>
public static class DicomIsolation
{
    static DicomIsolation() => GdcmWarnings.Start();

    private static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.General);

    /// <summary>The worker's side: for each path on a line of <paramref name="input"/>, decode it as the portal would.</summary>
    public static int Serve(TextReader input, TextWriter output)
    {
        while (input.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                // The end of an upload's files: said, and the worker waits for the next upload (see DicomWorker.Rent).
                output.WriteLine("done");
                output.Flush();
                continue;
            }
            // "path" or "path<TAB>folder": an Enhanced MR file is split into single-frame images in that folder.
            var (path, splitFolder) = line.Split('\t', 2) is [var file, var folder] ? (file, folder) : (line, null);
            output.WriteLine($"> {path}");
            output.WriteLine($"m {SafeModality(path)}");
            output.Flush();
            try
            {
                foreach (var image in DicomReader.ReadAll(path, splitFolder))
                {
                    output.WriteLine($"h {System.Text.Json.JsonSerializer.Serialize(image with { StoredValues = [] }, Json)}");
                }
            }
            catch (DicomReadException e)
            {
                output.WriteLine($"e {e.SeriesInstanceUid}\t{e.Message.ReplaceLineEndings(" ")}");
            }
            output.WriteLine("ok");
            output.Flush();
        }
        return 0;
    }

    /// <summary>What the worker made of each of <paramref name="files"/>: its header, or why it is refused.</summary>
    /// <param name="splitFolder">Where the worker writes the frames of Enhanced MR files as single-frame images (see <see cref="DicomReader.ReadAll"/>).</param>
    public static IReadOnlyDictionary<string, WorkerVerdict> Inspect(IReadOnlyList<string> files, DicomWorker worker, string? splitFolder = null)
    {
        // A worker per core on uploads large enough to repay the extra process starts: decoding is most of an import.
        var workers = Math.Clamp(files.Count / FilesPerExtraWorker, 1, Environment.ProcessorCount);
        if (workers == 1)
        {
            return InspectInOneWorker(files, worker, splitFolder);
        }
        var size = (files.Count + workers - 1) / workers;
        var parts = Enumerable.Range(0, workers).Select(w => files.Skip(w * size).Take(size).ToList()).Where(p => p.Count > 0).ToList();
        var verdicts = new Dictionary<string, WorkerVerdict>();
        foreach (var part in parts.AsParallel().WithDegreeOfParallelism(parts.Count).Select(p => InspectInOneWorker(p, worker, splitFolder)).ToList())
        {
            foreach (var (file, verdict) in part)
            {
                verdicts[file] = verdict;
            }
        }
        return verdicts;
    }

    /// <summary>How many files an upload needs per worker beyond the first.</summary>
    internal const int FilesPerExtraWorker = 64;

    private static Dictionary<string, WorkerVerdict> InspectInOneWorker(IReadOnlyList<string> files, DicomWorker worker, string? splitFolder)
    {
        var verdicts = new Dictionary<string, WorkerVerdict>();
        var remaining = files;
        while (remaining.Count > 0)
        {
            var (finished, dying, modality, hung) = Run(worker, remaining, verdicts, splitFolder);
            if (dying is null)
            {
                break;
            }
            var what = modality.Length > 0 ? $" (modality {modality})" : "";
            verdicts[dying] = new WorkerVerdict([], new DicomFileError(dying, hung
                ? $"{dying}: the DICOM decoder (GDCM) did not finish this file{what} within {worker.FileTimeout.TotalSeconds:0} s; it is refused, nothing of it is stored."
                : $"{dying}: the DICOM decoder (GDCM) fails fatally on this file{what}; it is refused, nothing of it is stored."));
            remaining = remaining.Skip(finished + 1).ToList();
        }
        return verdicts;
    }

    private static (int Finished, string? Dying, string Modality, bool Hung) Run(DicomWorker worker, IReadOnlyList<string> files, Dictionary<string, WorkerVerdict> verdicts, string? splitFolder)
    {
        var process = worker.Rent();
        var (hung, done) = (false, false);
        try
        {
            // A file that keeps the decoder busy too long (a garbled length can make GDCM loop or allocate for minutes) is killed with its worker.
            using var watchdog = new Timer(_ =>
            {
                hung = true;
                // A timer callback must never throw: that would end the portal's own process.
                try { process.Kill(); } catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException or System.ComponentModel.Win32Exception) { }
            });
            // Written from another thread: a worker that dies early must not block the writer on a full pipe.
            var writer = Task.Run(() =>
            {
                try
                {
                    foreach (var file in files)
                    {
                        process.StandardInput.WriteLine(splitFolder is null ? file : $"{file}\t{splitFolder}");
                    }
                    // The end of this batch; the worker answers "done" and waits for the next upload's files.
                    process.StandardInput.WriteLine();
                    process.StandardInput.Flush();
                }
                catch (IOException)
                {
                    // The worker died; the reader below knows on which file.
                }
            });
            string? current = null;
            var modality = "";
            var finished = 0;
            var images = new List<DicomImage>();
            while (process.StandardOutput.ReadLine() is { } line)
            {
                if (line.StartsWith("> ", StringComparison.Ordinal))
                {
                    (current, modality) = (line[2..], "");
                    images = [];
                    watchdog.Change(worker.FileTimeout, Timeout.InfiniteTimeSpan);
                }
                else if (line.StartsWith("m ", StringComparison.Ordinal))
                {
                    modality = line[2..];
                }
                else if (line.StartsWith("h ", StringComparison.Ordinal) && current is not null)
                {
                    // A frame split out of an Enhanced MR file keeps the path of its own file.
                    var image = System.Text.Json.JsonSerializer.Deserialize<DicomImage>(line[2..], Json)!;
                    images.Add(image.SourcePath is null ? image with { Path = current } : image);
                    verdicts[current] = new WorkerVerdict(images, null);
                }
                else if (line.StartsWith("e ", StringComparison.Ordinal) && current is not null)
                {
                    var (series, message) = (line[2..].Split('\t', 2)[0], line[2..].Split('\t', 2)[1]);
                    verdicts[current] = new WorkerVerdict([], new DicomFileError(current, message, series.Length > 0 ? series : null));
                }
                else if (line == "ok")
                {
                    watchdog.Change(Timeout.Infinite, Timeout.Infinite);
                    (current, finished) = (null, finished + 1);
                }
                else if (line == "done")
                {
                    done = true;
                    break;
                }
            }
            writer.Wait();
            if (done)
            {
                return (finished, null, "", false);
            }
            process.WaitForExit();
            if (current is null && finished < files.Count)
            {
                // Died between files (or before the first): blame the next one, so the loop always moves on.
                current = files[finished];
            }
            return (finished, current, modality, hung && current is not null);
        }
        finally
        {
            // Only a worker that finished the batch in good order serves another; any other is gone or killed now.
            worker.Return(process, healthy: done && !hung);
        }
    }

    // Modality through the plain reader and string filter, which do not decode pixels, reading no further than the
    // modality: the whole file is parsed once, by the decode that follows.
    private static string SafeModality(string path)
    {
        using var reader = new gdcm.Reader();
        reader.SetFileName(path);
        using var after = new gdcm.Tag(0x0008, 0x0061);
        if (!reader.ReadUpToTag(after))
        {
            return "";
        }
        using var tags = new gdcm.StringFilter();
        tags.SetFile(reader.GetFile());
        using var modality = new gdcm.Tag(0x0008, 0x0060);
        return tags.ToString(modality).Trim().TrimEnd('\0').Trim();
    }
}

/// <summary>A file as the worker saw it: its images' headers (pixels left out; one per frame of an Enhanced MR file), or the error that refuses it.</summary>
public sealed record WorkerVerdict(IReadOnlyList<DicomImage> Images, DicomFileError? Error);
