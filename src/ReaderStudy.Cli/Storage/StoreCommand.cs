using System.CommandLine;
using System.Text.Json;
using ReaderStudy.Cli.Backup;

namespace ReaderStudy.Cli.Storage;

/// <summary>
/// `readerstudy store collect`: removes image files no series, kept original or generator refers to any more (left
/// by deleted studies, series or subjects). Files are shared by content hash, so only the database can say a file is
/// unused; files younger than --older-than are kept, since an import writes its files before the rows naming them.
/// </summary>
internal static class StoreCommand
{
    public static Command Create()
    {
        var olderThan = new Option<TimeSpan>("--older-than")
        {
            Description = "Only files last written longer ago than this (an import in progress writes files before their rows).",
            DefaultValueFactory = _ => TimeSpan.FromHours(1),
        };
        var dryRun = new Option<bool>("--dry-run") { Description = "Say what would be removed; remove nothing." };
        var collect = new Command("collect", "Remove image files that nothing in the database refers to any more.")
        {
            olderThan, dryRun, PortalDatabase.DataFolder, PortalDatabase.Postgres,
        };
        collect.SetAction(async (result, cancellationToken) =>
        {
            await using var db = PortalDatabase.Open(result);
            var referenced = await Core.Storage.StoredFiles.ReferencedAsync(db, cancellationToken);
            var store = PortalDatabase.StoreFolder(result);
            var before = DateTime.UtcNow - result.GetValue(olderThan);
            var (kept, removed, freed) = (0, 0, 0L);
            foreach (var file in Directory.Exists(store) ? Directory.EnumerateFiles(store, "*", SearchOption.AllDirectories) : [])
            {
                // A stored file is "<hash>.dcm"; an interrupted copy is "<hash>.dcm.<guid>.partial".
                var hash = Path.GetFileName(file).Split('.')[0];
                var unused = !referenced.Contains(hash) || file.EndsWith(".partial", StringComparison.Ordinal);
                if (!unused || File.GetLastWriteTimeUtc(file) > before)
                {
                    kept++;
                    continue;
                }
                removed++;
                freed += new FileInfo(file).Length;
                if (!result.GetValue(dryRun))
                {
                    File.Delete(file);
                }
            }
            result.InvocationConfiguration.Output.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["dry_run"] = result.GetValue(dryRun),
                ["files_referenced"] = referenced.Count,
                ["files_kept"] = kept,
                ["files_removed"] = removed,
                ["bytes_freed"] = freed,
            }, CliJson.Options));
            return 0;
        });
        return new Command("store", "The image store.") { collect };
    }
}
