using System.Diagnostics;
using Npgsql;

namespace ReaderStudy.Cli.Backup;

/// <summary>pg_dump and pg_restore, PostgreSQL's own tools (Debian postgresql-client), given the portal's connection string.</summary>
internal static class PostgresTools
{
    public static Task DumpAsync(string connectionString, string snapshot, string file, CancellationToken cancellationToken) =>
        RunAsync("pg_dump", connectionString, ["--format=custom", "--no-owner", "--no-privileges", $"--snapshot={snapshot}", $"--file={file}"], cancellationToken);

    public static Task RestoreAsync(string connectionString, string file, CancellationToken cancellationToken) =>
        RunAsync("pg_restore", connectionString, ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", $"--dbname={new NpgsqlConnectionStringBuilder(connectionString).Database}", file], cancellationToken);

    private static async Task RunAsync(string tool, string connectionString, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var server = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(tool, arguments) { RedirectStandardError = true, RedirectStandardOutput = true };
        // libpq's own variables: the password never appears on a command line that `ps` shows.
        start.Environment["PGHOST"] = server.Host;
        start.Environment["PGPORT"] = server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["PGUSER"] = server.Username;
        start.Environment["PGDATABASE"] = server.Database;
        if (server.Password is { Length: > 0 } password)
        {
            start.Environment["PGPASSWORD"] = password;
        }
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new BackupException($"{tool} is not installed: install PostgreSQL's client tools (Debian: postgresql-client) of the server's major version or newer.");
        }
        using (process)
        {
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.StandardOutput.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode != 0)
            {
                throw new BackupException($"{tool} failed (exit {process.ExitCode}): {(await errors).Trim()}");
            }
        }
    }
}
