using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace ReaderStudy.Testing;

/// <summary>
/// A real PACS for the tests: Orthanc from Debian with its DICOMweb plugin, on loopback ports of its own, with its own
/// storage folder and HTTP basic authentication (user <see cref="User"/>), stopped and wiped on dispose.
/// </summary>
public sealed class OrthancServer : IDisposable
{
    public const string User = "pacs";
    public const string Password = "secret";

    private readonly string folder = Directory.CreateTempSubdirectory("readerstudy-orthanc-").FullName;
    private readonly Process process;
    private readonly HttpClient http;

    public int Port { get; } = FreePort();
    public string DicomWebUrl => $"http://127.0.0.1:{Port}/dicom-web/";

    public OrthancServer()
    {
        var config = new Dictionary<string, object>
        {
            ["Name"] = "ReaderStudyTestPacs",
            ["StorageDirectory"] = Path.Combine(folder, "storage"),
            ["IndexDirectory"] = Path.Combine(folder, "storage"),
            ["HttpPort"] = Port,
            ["DicomPort"] = FreePort(),
            ["RemoteAccessAllowed"] = false,
            ["AuthenticationEnabled"] = true,
            ["RegisteredUsers"] = new Dictionary<string, string> { [User] = Password },
            ["Plugins"] = new[] { "/usr/share/orthanc/plugins/libOrthancDicomWeb.so" },
            ["DicomWeb"] = new Dictionary<string, object> { ["Enable"] = true, ["Root"] = "/dicom-web/" },
        };
        var configPath = Path.Combine(folder, "orthanc.json");
        File.WriteAllText(configPath, JsonSerializer.Serialize(config));
        var start = new ProcessStartInfo("/usr/sbin/Orthanc") { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = folder };
        start.ArgumentList.Add(configPath);
        process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Port}/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}")));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                if (http.GetAsync("system").Result.StatusCode == HttpStatusCode.OK)
                {
                    break;
                }
            }
            catch (AggregateException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
            }
            if (DateTime.UtcNow > deadline || process.HasExited)
            {
                throw new InvalidOperationException($"Orthanc did not start on port {Port} (exited: {process.HasExited}).");
            }
            Thread.Sleep(200);
        }
    }

    /// <summary>Stores DICOM files in the PACS through its REST API.</summary>
    public async Task StoreAsync(IEnumerable<string> files)
    {
        foreach (var file in files)
        {
            using var response = await http.PostAsync("instances", new ByteArrayContent(await File.ReadAllBytesAsync(file)));
            response.EnsureSuccessStatusCode();
        }
    }

    /// <summary>Portal settings that point at this PACS (a wrong password, for the refusal tests).</summary>
    public Dictionary<string, string> PortalSettings(string password = Password, int timeoutSeconds = 30) => new()
    {
        ["Pacs:DicomWebUrl"] = DicomWebUrl,
        ["Pacs:Name"] = "Test PACS",
        ["Pacs:UserName"] = User,
        ["Pacs:Password"] = password,
        ["Pacs:TimeoutSeconds"] = timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        http.Dispose();
        try { process.Kill(entireProcessTree: true); process.WaitForExit(10_000); } catch (InvalidOperationException) { }
        process.Dispose();
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
    }
}

/// <summary>The portal pointed at its own Orthanc PACS.</summary>
public class PacsPortal : PortalFactory
{
    public OrthancServer Pacs { get; }

    public PacsPortal() : this(TestDatabase.Sqlite)
    {
    }

    protected PacsPortal(TestDatabase database) : this(database, new OrthancServer())
    {
    }

    private PacsPortal(TestDatabase database, OrthancServer pacs) : base(database, pacs.PortalSettings()) => Pacs = pacs;

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Pacs.Dispose();
        }
    }
}

/// <summary>The same on PostgreSQL.</summary>
public sealed class PacsPostgresPortal() : PacsPortal(TestDatabase.Postgres);
