using System.Diagnostics;

namespace ReaderStudy.Imaging.Dicom;

/// <summary>
/// How to start a process that decodes untrusted DICOM files (<see cref="DicomIsolation.Serve"/>): GDCM aborts the
/// whole process on some malformed files (a failed assertion is SIGABRT, which no managed code can catch), so a
/// file is decoded there first and only files that survive are read in the portal's own process.
/// </summary>
public sealed record DicomWorker(string FileName, IReadOnlyList<string> Arguments)
{
    public const string Verb = "dicom-worker";

    /// <summary>How long one file may keep the worker busy before it is refused (the worker is then killed and started again).</summary>
    public TimeSpan FileTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The worker that untrusted reads in this process go through; null decodes in process (trusted files, tests of the reader itself).</summary>
    public static DicomWorker? Current { get; set; }

    /// <summary>A worker run by an app whose entry assembly is <paramref name="assemblyPath"/>: its apphost if present, else <c>dotnet</c> with the assembly.</summary>
    public static DicomWorker ForAssembly(string assemblyPath, params string[] verb)
    {
        var apphost = Path.ChangeExtension(assemblyPath, null);
        if (File.Exists(apphost) && !OperatingSystem.IsWindows())
        {
            return new DicomWorker(apphost, verb);
        }
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
            : Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
        return new DicomWorker(dotnet, [assemblyPath, .. verb]);
    }

    /// <summary>How long a worker that finished an upload is kept for the next one.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    // Workers waiting for the next upload's files, by command line (so the portal's and its tests' many DicomWorker
    // values of one binary share them): at most one per core, each killed when kept idle too long.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, List<(Process Process, Timer Expiry)>> Waiting = new();

    private List<(Process Process, Timer Expiry)> Idle => Waiting.GetOrAdd(string.Join('\0', [FileName, .. Arguments]), _ => []);

    /// <summary>A worker waiting since its last upload, or a new one.</summary>
    internal Process Rent()
    {
        var idle = Idle;
        lock (idle)
        {
            while (idle.Count > 0)
            {
                var (process, expiry) = idle[^1];
                idle.RemoveAt(idle.Count - 1);
                expiry.Dispose();
                if (!process.HasExited)
                {
                    return process;
                }
                process.Dispose();
            }
        }
        return Start();
    }

    /// <summary>Keeps a worker that ended its files in good order for the next upload; ends any other.</summary>
    internal void Return(Process process, bool healthy)
    {
        var idle = Idle;
        lock (idle)
        {
            if (healthy && !process.HasExited && idle.Count < Environment.ProcessorCount)
            {
                (Process, Timer) entry = default;
                entry = (process, new Timer(_ => Expire(entry), null, Timeout.Infinite, Timeout.Infinite));
                idle.Add(entry);
                entry.Item2.Change(IdleTimeout, Timeout.InfiniteTimeSpan);
                return;
            }
        }
        End(process);
    }

    private void Expire((Process Process, Timer Expiry) entry)
    {
        var idle = Idle;
        lock (idle)
        {
            if (!idle.Remove(entry))
            {
                return;
            }
        }
        entry.Expiry.Dispose();
        End(entry.Process);
    }

    private static void End(Process process)
    {
        // Never throws: it runs on a timer too, where an exception would end the portal's own process.
        try
        {
            if (!process.HasExited)
            {
                process.Kill();
                process.WaitForExit(5000);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
        }
        process.Dispose();
    }

    private static int started;

    /// <summary>How many worker processes this process has started (the bench and the tests read it).</summary>
    public static int ProcessesStarted => started;

    internal Process Start()
    {
        Interlocked.Increment(ref started);
        var start = new ProcessStartInfo(FileName) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in Arguments)
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start) ?? throw new DicomReadException($"The DICOM worker {FileName} could not be started.");
        // Drained for the worker's whole life: GDCM's assertions go there, and a full pipe would block the worker.
        _ = process.StandardError.ReadToEndAsync();
        return process;
    }
}
