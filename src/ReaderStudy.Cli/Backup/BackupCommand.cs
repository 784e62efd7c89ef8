using System.CommandLine;
using System.Data;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ReaderStudy.Core.Data;

namespace ReaderStudy.Cli.Backup;

/// <summary>
/// `readerstudy backup --to FOLDER`: the database at one instant (pg_dump from a snapshot, or SQLite's VACUUM INTO)
/// and every image file it refers to, with backup.json saying what the database held. Safe while the portal runs.
/// </summary>
internal static class BackupCommand
{
    public static Command Create()
    {
        var to = new Option<DirectoryInfo>("--to") { Description = "A new (or empty) folder for the backup.", Required = true };
        var withoutImages = new Option<bool>("--without-images")
        {
            Description = "Back up the database only: the images live in an S3 bucket, backed up with the bucket's own versioning or replication.",
        };
        var command = new Command("backup", "Back up the portal's database and image files into a new folder, while the portal runs.")
        {
            to, withoutImages, PortalDatabase.DataFolder, PortalDatabase.Postgres,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var folder = result.GetValue(to)!.FullName;
            try
            {
                if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
                {
                    throw new BackupException($"{folder} is not empty: back up into a new folder, so no earlier backup is overwritten.");
                }
                Directory.CreateDirectory(folder);
                var manifest = await BackUpAsync(result, folder, !result.GetValue(withoutImages), cancellationToken);
                manifest.Write(folder);
                result.InvocationConfiguration.Output.WriteLine(JsonSerializer.Serialize(manifest, CliJson.Options));
                return 0;
            }
            catch (BackupException e)
            {
                result.InvocationConfiguration.Error.WriteLine($"backup: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static async Task<BackupManifest> BackUpAsync(ParseResult result, string folder, bool withImages, CancellationToken cancellationToken)
    {
        var postgres = result.GetValue(PortalDatabase.Postgres);
        string databaseFile;
        PortalSummary summary;
        HashSet<string> files;
        if (postgres is not null)
        {
            databaseFile = "database.pgdump";
            await using var db = PortalDatabase.Open(result);
            // The counts and pg_dump read the same snapshot, so backup.json describes exactly what was dumped.
            await using var snapshot = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
            var name = await db.Database.SqlQueryRaw<string>("SELECT pg_export_snapshot() AS \"Value\"").SingleAsync(cancellationToken);
            summary = await PortalSummary.OfAsync(db, cancellationToken);
            files = await Core.Storage.StoredFiles.ReferencedAsync(db, cancellationToken);
            await PostgresTools.DumpAsync(postgres, name, Path.Combine(folder, databaseFile), cancellationToken);
            await snapshot.CommitAsync(cancellationToken);
        }
        else
        {
            databaseFile = "readerstudy.db";
            var copy = Path.Combine(folder, databaseFile);
            // Checked before opening: opening a SQLite file that is not there creates an empty one.
            var dataFolder = result.GetValue(PortalDatabase.DataFolder)!.FullName;
            if (!File.Exists(Path.Combine(dataFolder, "readerstudy.db")))
            {
                throw new BackupException($"{dataFolder} holds no portal database (readerstudy.db); give --data the portal's data folder, or --postgres.");
            }
            await using (var db = PortalDatabase.Open(result))
            {
                // VACUUM INTO writes a consistent copy while the portal goes on writing.
                await db.Database.ExecuteSqlRawAsync("VACUUM INTO {0}", [copy], cancellationToken);
            }
            await using var copied = new ReaderStudyDbContext(DatabaseProvider.OptionsFor("Sqlite", $"Data Source={copy};Pooling=False"));
            summary = await PortalSummary.OfAsync(copied, cancellationToken);
            files = await Core.Storage.StoredFiles.ReferencedAsync(copied, cancellationToken);
        }
        if (!withImages)
        {
            return new BackupManifest(1, DateTimeOffset.UtcNow, postgres is null ? "Sqlite" : "Postgres", databaseFile, summary, ImagesIncluded: false, 0, 0);
        }
        var images = await ImageFiles.CopyAsync(PortalDatabase.StoreFolder(result), Path.Combine(folder, BackupManifest.StoreFolder), files, cancellationToken);
        if (images.Missing.Count > 0 || images.Damaged.Count > 0)
        {
            throw new BackupException($"{images.Missing.Count} file(s) the database refers to are missing from {PortalDatabase.StoreFolder(result)} and {images.Damaged.Count} do not match their hash "
                + $"(first: {images.Missing.Concat(images.Damaged).First()}); the store is not whole, so this backup would not be either. (Images in an S3 bucket are backed up with the bucket: see the runbook.)");
        }
        return new BackupManifest(1, DateTimeOffset.UtcNow, postgres is null ? "Sqlite" : "Postgres", databaseFile, summary, ImagesIncluded: true, images.Files, images.Bytes);
    }
}
