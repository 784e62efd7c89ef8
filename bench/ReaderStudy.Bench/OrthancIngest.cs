using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace ReaderStudy.Bench;

/// <summary>
/// The import's anchor: Orthanc (Debian's) started on loopback with its own storage folder, given the same files
/// through its REST API (POST /instances), as many at once as there are cores so it uses all of them.
/// </summary>
internal sealed class OrthancIngest : IDisposable
{
    private readonly Process process;
    private readonly HttpClient http;
    private readonly string folder;

    private OrthancIngest(Process process, HttpClient http, string folder) => (this.process, this.http, this.folder) = (process, http, folder);

    public static string? Executable => new[] { "/usr/sbin/Orthanc", "/usr/bin/Orthanc" }.FirstOrDefault(File.Exists);

    public static async Task<OrthancIngest> StartAsync(string folder)
    {
        var port = FreePort();
        Directory.CreateDirectory(folder);
        var configuration = Path.Combine(folder, "orthanc.json");
        // Storage uncompressed and no DICOM network, as the portal's import: files in, index up to date, nothing else.
        await File.WriteAllTextAsync(configuration, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["Name"] = "bench",
            ["StorageDirectory"] = Path.Combine(folder, "storage"),
            ["IndexDirectory"] = Path.Combine(folder, "index"),
            ["HttpPort"] = port,
            ["DicomServerEnabled"] = false,
            ["RemoteAccessAllowed"] = false,
            ["AuthenticationEnabled"] = false,
            ["StorageCompression"] = false,
            ["HttpThreadsCount"] = 50,
            ["Plugins"] = Array.Empty<string>(),
        }));
        var process = Process.Start(new ProcessStartInfo(Executable!, [configuration]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        var ingest = new OrthancIngest(process, http, folder);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                if ((await http.GetAsync("system")).IsSuccessStatusCode)
                {
                    return ingest;
                }
            }
            catch (HttpRequestException) when (attempt < 100 && !process.HasExited)
            {
            }
            await Task.Delay(100);
        }
    }

    /// <summary>Sends every file; returns how many Orthanc stored.</summary>
    public async Task<int> IngestAsync(IReadOnlyList<string> files)
    {
        var stored = 0;
        await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, async (file, ct) =>
        {
            using var content = new ByteArrayContent(await File.ReadAllBytesAsync(file, ct));
            content.Headers.ContentType = new("application/dicom");
            using var response = await http.PostAsync("instances", content, ct);
            if (response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref stored);
            }
        });
        return stored;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        http.Dispose();
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        process.Dispose();
        Directory.Delete(folder, recursive: true);
    }
}
