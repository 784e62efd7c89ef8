using System.Text;
using Microsoft.Win32.SafeHandles;

namespace ReaderStudy.Imaging.Dicom;

/// <summary>
/// GDCM reads a file whose pixel data is cut short without failing: it only writes "Incomplete Pixel Data
/// found" to its trace. The trace is the one place GDCM says so, so reads run one at a time with the trace
/// sent to a file of this process, and what a read appended there is handed back.
/// </summary>
/// <remarks>
/// GDCM's trace is one C++ stream for the whole process, and GDCM code on other threads (writers, the string
/// filter, a viewer's decode) would write to it too: two threads writing one stream, or one reopening it while
/// another writes, is a data race in native code. So the trace is on only inside a capture, and the stream is
/// opened once and never replaced: the file is emptied from our side (GDCM keeps writing at its own offset into a
/// sparse file), which no GDCM thread can notice.
/// </remarks>
internal static class GdcmWarnings
{
    private static readonly Lock Gate = new();
    private static readonly string TracePath = Path.Combine(Path.GetTempPath(), $"readerstudy-gdcm-{Environment.ProcessId}.log");
    private static bool started;
    // Held open for the process's life: a read's capture then costs two lengths of an open file, not a path lookup
    // and an open and close per file, all while every other thread's read waits on the lock.
    private static SafeFileHandle? trace;
    private static long written;
    /// <summary>How much trace is kept before the file is emptied; the tests lower it to empty it often.</summary>
    internal static long MaxTraceBytes { get; set; } = 1 << 20;

    /// <summary>Before any GDCM call of this process (the static constructors of the classes that call GDCM call this):
    /// the trace goes to our file, and is off until a capture.</summary>
    internal static void Start()
    {
        lock (Gate)
        {
            if (started)
            {
                return;
            }
            gdcm.Trace.SetStreamToFile(TracePath);
            gdcm.Trace.DebugOff();
            gdcm.Trace.WarningOff();
            gdcm.Trace.ErrorOff();
            trace = File.OpenHandle(TracePath, FileMode.OpenOrCreate, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            started = true;
        }
    }

    public static T Capture<T>(Func<T> read, out string warnings)
    {
        Start();
        lock (Gate)
        {
            var before = RandomAccess.GetLength(trace!);
            gdcm.Trace.WarningOn();
            gdcm.Trace.ErrorOn();
            T result;
            try
            {
                result = read();
            }
            finally
            {
                gdcm.Trace.WarningOff();
                gdcm.Trace.ErrorOff();
            }
            warnings = ReadFrom(before);
            if ((written += warnings.Length) > MaxTraceBytes)
            {
                // Only what a read appends is ever read back: the disk space of what came before is given back.
                using var trace = new FileStream(TracePath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
                trace.SetLength(0);
                written = 0;
            }
            return result;
        }
    }

    private static string ReadFrom(long offset)
    {
        var length = RandomAccess.GetLength(trace!);
        if (length <= offset)
        {
            return "";
        }
        var bytes = new byte[checked((int)(length - offset))];
        var read = 0;
        while (read < bytes.Length && RandomAccess.Read(trace!, bytes.AsSpan(read), offset + read) is var n and > 0)
        {
            read += n;
        }
        return Encoding.UTF8.GetString(bytes, 0, read);
    }
}
