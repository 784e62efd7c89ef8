using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ReaderStudy.Testing;

/// <summary>
/// A PostgreSQL server of one test's own, on a free loopback port, which the test may restart or stop without
/// touching the shared server other tests use. Run as the postgres user when the tests run as root, as deploy/test.sh does.
/// </summary>
public sealed class OwnPostgresServer : IDisposable
{
    private readonly string data = Directory.CreateTempSubdirectory("readerstudy-own-pg-").FullName;
    private readonly string bin = Directory.GetDirectories("/usr/lib/postgresql").OrderBy(d => int.Parse(Path.GetFileName(d), System.Globalization.CultureInfo.InvariantCulture)).Last() + "/bin";
    private readonly int port;

    public OwnPostgresServer()
    {
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        Shell($"chown postgres '{data}'", asPostgres: false);
        Shell($"'{bin}/initdb' -D '{data}' -A trust -U postgres --no-sync -E UTF8 >/dev/null");
        Shell($"'{bin}/pg_ctl' -D '{data}' -l '{data}/server.log' -w -o \"-c listen_addresses=127.0.0.1 -p {port} -k '{data}' -c fsync=off -c max_connections=200\" start >/dev/null");
    }

    public string ConnectionString(string database) => $"Host=127.0.0.1;Port={port};Username=postgres;Database={database}";

    /// <summary>A fast restart, as an operator's `pg_ctl restart -m fast`: every open connection is cut.</summary>
    public TimeSpan Restart()
    {
        var clock = Stopwatch.StartNew();
        Shell($"'{bin}/pg_ctl' -D '{data}' -l '{data}/server.log' -w -m fast restart >/dev/null");
        return clock.Elapsed;
    }

    /// <summary>The server goes away (fast shutdown) until <see cref="Start"/>.</summary>
    public void Stop() => Shell($"'{bin}/pg_ctl' -D '{data}' -w -m fast stop >/dev/null");

    public void Start() => Shell($"'{bin}/pg_ctl' -D '{data}' -l '{data}/server.log' -w -o \"-c listen_addresses=127.0.0.1 -p {port} -k '{data}' -c fsync=off -c max_connections=200\" start >/dev/null");

    public void Dispose()
    {
        try
        {
            Shell($"'{bin}/pg_ctl' -D '{data}' -m immediate stop >/dev/null");
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private static void Shell(string command, bool asPostgres = true)
    {
        var root = Environment.UserName == "root";
        var start = new ProcessStartInfo(asPostgres && root ? "su" : "sh") { RedirectStandardError = true };
        foreach (var argument in asPostgres && root ? ["postgres", "-s", "/bin/sh", "-c", command] : new[] { "-c", command })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} failed ({process.ExitCode}): {error}");
        }
    }
}
