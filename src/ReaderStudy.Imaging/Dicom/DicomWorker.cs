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

    internal Process Start()
    {
        var start = new ProcessStartInfo(FileName) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in Arguments)
        {
            start.ArgumentList.Add(argument);
        }
        return Process.Start(start) ?? throw new DicomReadException($"The DICOM worker {FileName} could not be started.");
    }
}
