using System.CommandLine;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ReaderStudy.Cli.Backup;

/// <summary>
/// `readerstudy restore --from FOLDER`: a backup into an empty database and data folder (never over data), then
/// checked: the same counts and audit head as backup.json says, the audit chain intact, every image file present
/// and matching its hash. Exit 0 only if all of that holds.
/// </summary>
internal static class RestoreCommand
{
    public static Command Create()
    {
        var from = new Option<DirectoryInfo>("--from") { Description = "The folder `readerstudy backup` wrote.", Required = true };
        var command = new Command("restore", "Restore a backup into an empty database and data folder, and check that it reads as it was backed up.")
        {
            from, PortalDatabase.DataFolder, PortalDatabase.Postgres,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            try
            {
                var report = await RestoreAsync(result, result.GetValue(from)!.FullName, cancellationToken);
                result.InvocationConfiguration.Output.WriteLine(JsonSerializer.Serialize(report, CliJson.Options));
                return report.Problems.Count == 0 ? 0 : 1;
            }
            catch (BackupException e)
            {
                result.InvocationConfiguration.Error.WriteLine($"restore: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    internal sealed record RestoreReport(PortalSummary Summary, int ImageFiles, int AuditRows, IReadOnlyList<string> Problems);

    private static async Task<RestoreReport> RestoreAsync(ParseResult result, string folder, CancellationToken cancellationToken)
    {
        var manifest = BackupManifest.Read(folder);
        var postgres = result.GetValue(PortalDatabase.Postgres);
        var dataFolder = result.GetValue(PortalDatabase.DataFolder)!.FullName;
        var target = postgres is null ? "Sqlite" : "Postgres";
        if (manifest.Provider != target)
        {
            throw new BackupException($"This backup is of a {manifest.Provider} database; restore it with {(manifest.Provider == "Postgres" ? "--postgres" : "--data and no --postgres")}.");
        }
        var dump = Path.Combine(folder, manifest.DatabaseFile);
        if (!File.Exists(dump))
        {
            throw new BackupException($"The backup has no {manifest.DatabaseFile}: it is incomplete.");
        }
        if (postgres is not null)
        {
            await RequireEmptyPostgresAsync(postgres, cancellationToken);
            await PostgresTools.RestoreAsync(postgres, dump, cancellationToken);
        }
        else
        {
            var database = Path.Combine(dataFolder, "readerstudy.db");
            if (File.Exists(database))
            {
                throw new BackupException($"{database} exists: restore into a data folder without a database, so nothing is overwritten.");
            }
            Directory.CreateDirectory(dataFolder);
            File.Copy(dump, database);
        }

        await using var db = PortalDatabase.Open(result);
        var problems = new List<string>();
        var summary = await PortalSummary.OfAsync(db, cancellationToken);
        if (summary != manifest.Summary)
        {
            problems.Add($"The restored database holds {summary}, the backup says {manifest.Summary}.");
        }
        var audit = await PortalSummary.VerifyAuditAsync(db, cancellationToken);
        problems.AddRange(audit.Problems.Select(p => $"Audit log: {p}"));
        var imageFiles = 0;
        if (manifest.ImagesIncluded)
        {
            var images = await ImageFiles.CopyAsync(Path.Combine(folder, BackupManifest.StoreFolder), PortalDatabase.StoreFolder(result),
                await Core.Storage.StoredFiles.ReferencedAsync(db, cancellationToken), cancellationToken);
            imageFiles = images.Files;
            problems.AddRange(images.Missing.Select(h => $"Image file {h} is missing from the backup."));
            problems.AddRange(images.Damaged.Select(h => $"Image file {h} does not match its hash."));
        }
        return new RestoreReport(summary, imageFiles, audit.Rows, problems);
    }

    /// <summary>A database named in --postgres that does not exist yet is created, empty, through the server's "postgres" database.</summary>
    private static async Task CreateDatabaseAsync(string connectionString, CancellationToken cancellationToken)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        await using var server = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false }.ConnectionString);
        try
        {
            await server.OpenAsync(cancellationToken);
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", server);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException e)
        {
            throw new BackupException($"The database {name} does not exist and could not be created ({e.MessageText}): create it empty (createdb) and restore again.");
        }
    }

    private static async Task RequireEmptyPostgresAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            await CreateDatabaseAsync(connectionString, cancellationToken);
            return;
        }
        await using var tables = new NpgsqlCommand("SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')", connection);
        var count = (long)(await tables.ExecuteScalarAsync(cancellationToken))!;
        if (count > 0)
        {
            throw new BackupException($"The database {connection.Database} already holds {count} table(s): restore into an empty database, so nothing is overwritten.");
        }
    }
}
