using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ReaderStudy.Testing;

/// <summary>
/// The built portal (src/ReaderStudy.Web, Release) run as an operating-system process of its own on a loopback
/// port, so a test can kill it outright (SIGKILL: no shutdown hooks, no flushed state) and start it again.
/// </summary>
public sealed class PortalProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder log = new();
    private readonly Uri address;

    private PortalProcess(Process process, Uri address)
    {
        this.process = process;
        this.address = address;
    }

    /// <summary>
    /// Starts the portal with these settings (configuration keys, e.g. "Database:Provider") and waits until it answers
    /// /health/ready; on a port of its own, or on the given one (a restart where a browser expects it).
    /// </summary>
    public static Task<PortalProcess> StartAsync(IReadOnlyDictionary<string, string> settings, int? port = null) =>
        StartBuiltAsync("ReaderStudy.Web", settings, port, "/health/ready");

    /// <summary>
    /// The reverse proxy (src/ReaderStudy.Proxy) in front of these portal processes, by name: each browser is kept on
    /// one of them and moved to another when its health check fails.
    /// </summary>
    public static Task<PortalProcess> StartProxyAsync(IReadOnlyDictionary<string, PortalProcess> portals, string? proxyDll = null) =>
        StartAsync(proxyDll ?? Path.Combine(SharedFolder.RepositoryRoot, "src", "ReaderStudy.Proxy", "bin", "Release", "net10.0", "ReaderStudy.Proxy.dll"),
            portals.ToDictionary(p => $"ReverseProxy:Clusters:portals:Destinations:{p.Key}:Address", p => p.Value.Address.ToString()),
            port: null, "/proxy/health");

    private static Task<PortalProcess> StartBuiltAsync(string project, IReadOnlyDictionary<string, string> settings, int? port, string readyPath) =>
        StartAsync(Path.Combine(SharedFolder.RepositoryRoot, "src", project, "bin", "Release", "net10.0", $"{project}.dll"), settings, port, readyPath);

    /// <summary>Any built or published entry point (a publish folder's ReaderStudy.Web.dll), answering <paramref name="readyPath"/> when up.</summary>
    public static async Task<PortalProcess> StartAsync(string dll, IReadOnlyDictionary<string, string> settings, int? port, string readyPath)
    {
        var folder = Path.GetDirectoryName(dll)!;
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing: build the solution in Release first (deploy/test.sh does).");
        }
        var address = new Uri($"http://127.0.0.1:{port ?? FreePort()}");
        var start = new ProcessStartInfo("dotnet", [dll]) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Demo";
        start.Environment["ASPNETCORE_URLS"] = address.ToString();
        // As in PortalFactory: the CT and mammography demo studies only where a test sets Demo:OtherKinds.
        start.Environment["Demo__OtherKinds"] = "false";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        var portal = new PortalProcess(Process.Start(start)!, address);
        portal.process.OutputDataReceived += (_, e) => portal.Append(e.Data);
        portal.process.ErrorDataReceived += (_, e) => portal.Append(e.Data);
        portal.process.BeginOutputReadLine();
        portal.process.BeginErrorReadLine();
        try
        {
            await portal.WaitUntilReadyAsync(readyPath);
        }
        catch
        {
            // A portal that never came up is not left running: it would take the cores of every test and bench after it.
            portal.Dispose();
            throw;
        }
        return portal;
    }

    /// <summary>
    /// The settings most process tests start the portal with: the demo seeded with a small phantom, quiet logs, on
    /// <paramref name="database"/> (a PostgreSQL connection string, or "" for SQLite in <paramref name="dataFolder"/>).
    /// </summary>
    public static Dictionary<string, string> DemoSettings(TestDatabase database, string connectionString, string dataFolder) => new()
    {
        ["Database:Provider"] = database.ToString(),
        ["Database:ConnectionString"] = connectionString,
        ["Storage:DataFolder"] = dataFolder,
        ["Demo:Seed"] = "true",
        ["Demo:PhantomSubjects"] = "2",
        ["Demo:PhantomSize"] = "64",
        ["Demo:PhantomSlices"] = "4",
        ["Serilog:MinimumLevel:Default"] = "Warning",
    };

    public Uri Address => address;

    /// <summary>The process's resident memory now, in MiB (the benches' memory figures).</summary>
    public double ResidentMegabytes
    {
        get
        {
            using var running = Process.GetProcessById(process.Id);
            return running.WorkingSet64 / (1024.0 * 1024.0);
        }
    }

    /// <summary>The operating system's id of the process (Hangfire names its servers host:pid:…).</summary>
    public int ProcessId => process.Id;

    public string Log
    {
        get { lock (log) { return log.ToString(); } }
    }

    /// <summary>Whether the portal process has died (a crash shows here, not in the test host).</summary>
    public bool HasExited => process.HasExited;

    public PortalClient NewClient() =>
        new(new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() }) { BaseAddress = address });

    /// <summary>SIGKILL, as the kernel's out-of-memory killer or a pulled plug would end it.</summary>
    public void Kill()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (log) { log.AppendLine(line); }
        }
    }

    private async Task WaitUntilReadyAsync(string readyPath)
    {
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(90))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The portal exited with code {process.ExitCode} while starting:\n{Log}");
            }
            try
            {
                if ((await http.GetAsync(readyPath)).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException($"The portal did not answer {readyPath} within 90 s:\n{Log}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            Kill();
        }
        process.Dispose();
    }
}
