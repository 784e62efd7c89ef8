using System.Text;

namespace ReaderStudy.Imaging.Dicom;

/// <summary>
/// GDCM reads a file whose pixel data is cut short without failing: it only writes "Incomplete Pixel Data
/// found" to its trace. The trace is the one place GDCM says so, so reads run one at a time with the trace
/// sent to a file of this process, and what a read appended there is handed back.
/// </summary>
internal static class GdcmWarnings
{
    private static readonly Lock Gate = new();
    private static readonly string TracePath = Path.Combine(Path.GetTempPath(), $"readerstudy-gdcm-{Environment.ProcessId}.log");
    private static bool started;
    private const long MaxTraceBytes = 1 << 20;

    public static T Capture<T>(Func<T> read, out string warnings)
    {
        lock (Gate)
        {
            if (!started)
            {
                gdcm.Trace.SetStreamToFile(TracePath);
                gdcm.Trace.WarningOn();
                gdcm.Trace.ErrorOn();
                gdcm.Trace.DebugOff();
                started = true;
            }
            var before = new FileInfo(TracePath).Length;
            var result = read();
            warnings = ReadFrom(before);
            if (before + warnings.Length > MaxTraceBytes)
            {
                // Reopening the stream truncates the file: the trace is only read back read by read, never kept.
                gdcm.Trace.SetStreamToFile(TracePath);
            }
            return result;
        }
    }

    private static string ReadFrom(long offset)
    {
        using var stream = new FileStream(TracePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        if (stream.Length <= offset)
        {
            return "";
        }
        stream.Seek(offset, SeekOrigin.Begin);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
