namespace ReaderStudy.Imaging.Dicom;

/// <summary>
/// Decodes untrusted files in a worker process before the portal touches them. The worker announces each file
/// before decoding it; a file it never finishes (the worker died) is refused, named with its modality, and the
/// worker is started again on the files after it. One worker serves a whole upload, so the cost is one process start.
/// </summary>
public static class DicomIsolation
{
    /// <summary>The worker's side: for each path on a line of <paramref name="input"/>, decode it as the portal would.</summary>
    public static int Serve(TextReader input, TextWriter output)
    {
        while (input.ReadLine() is { } path)
        {
            output.WriteLine($"> {path}");
            output.WriteLine($"m {SafeModality(path)}");
            output.Flush();
            try
            {
                DicomReader.Read(path);
            }
            catch (DicomReadException)
            {
                // An ordinary refusal: the portal's own read reports it with its message.
            }
            output.WriteLine("ok");
            output.Flush();
        }
        return 0;
    }

    /// <summary>The files among <paramref name="files"/> that kill the decoder, each with the reason to give.</summary>
    public static IReadOnlyDictionary<string, string> FindFatal(IReadOnlyList<string> files, DicomWorker worker)
    {
        var fatal = new Dictionary<string, string>();
        var remaining = files;
        while (remaining.Count > 0)
        {
            var (finished, dying, modality, hung) = Run(worker, remaining);
            if (dying is null)
            {
                break;
            }
            var what = modality.Length > 0 ? $" (modality {modality})" : "";
            fatal[dying] = hung
                ? $"{dying}: the DICOM decoder (GDCM) did not finish this file{what} within {worker.FileTimeout.TotalSeconds:0} s; it is refused, nothing of it is stored."
                : $"{dying}: the DICOM decoder (GDCM) fails fatally on this file{what}; it is refused, nothing of it is stored.";
            remaining = remaining.Skip(finished + 1).ToList();
        }
        return fatal;
    }

    private static (int Finished, string? Dying, string Modality, bool Hung) Run(DicomWorker worker, IReadOnlyList<string> files)
    {
        using var process = worker.Start();
        var hung = false;
        // A file that keeps the decoder busy too long (a garbled length can make GDCM loop or allocate for minutes) is killed with its worker.
        using var watchdog = new Timer(_ =>
        {
            hung = true;
            try { process.Kill(); } catch (InvalidOperationException) { }
        });
        // Written from another thread: a worker that dies early must not block the writer on a full pipe.
        var writer = Task.Run(() =>
        {
            try
            {
                foreach (var file in files)
                {
                    process.StandardInput.WriteLine(file);
                }
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The worker died; the reader below knows on which file.
            }
        });
        _ = process.StandardError.ReadToEndAsync();
        string? current = null;
        var modality = "";
        var finished = 0;
        while (process.StandardOutput.ReadLine() is { } line)
        {
            if (line.StartsWith("> ", StringComparison.Ordinal))
            {
                (current, modality) = (line[2..], "");
                watchdog.Change(worker.FileTimeout, Timeout.InfiniteTimeSpan);
            }
            else if (line.StartsWith("m ", StringComparison.Ordinal))
            {
                modality = line[2..];
            }
            else if (line == "ok")
            {
                watchdog.Change(Timeout.Infinite, Timeout.Infinite);
                (current, finished) = (null, finished + 1);
            }
        }
        process.WaitForExit();
        writer.Wait();
        if (current is null && finished < files.Count && process.ExitCode != 0)
        {
            // Died between files (or before the first): blame the next one, so the loop always moves on.
            current = files[finished];
        }
        return (finished, current, modality, hung && current is not null);
    }

    // Modality through the plain reader and string filter, which do not decode pixels.
    private static string SafeModality(string path)
    {
        using var reader = new gdcm.Reader();
        reader.SetFileName(path);
        if (!reader.Read())
        {
            return "";
        }
        using var tags = new gdcm.StringFilter();
        tags.SetFile(reader.GetFile());
        return tags.ToString(new gdcm.Tag(0x0008, 0x0060)).Trim().TrimEnd('\0').Trim();
    }
}
