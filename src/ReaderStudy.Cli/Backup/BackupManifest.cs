using System.Text.Json;

namespace ReaderStudy.Cli.Backup;

/// <summary>backup.json: what was backed up, from which engine, and what the database held at that instant.</summary>
internal sealed record BackupManifest(int Format, DateTimeOffset MadeAt, string Provider, string DatabaseFile, PortalSummary Summary, bool ImagesIncluded, int ImageFiles, long ImageBytes)
{
    public const string FileName = "backup.json";
    public const string StoreFolder = "store";

    public static BackupManifest Read(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            throw new BackupException($"{folder} is not a ReaderStudy backup: it has no {FileName}.");
        }
        return JsonSerializer.Deserialize<BackupManifest>(File.ReadAllText(path), CliJson.Options)
            ?? throw new BackupException($"{path} is empty.");
    }

    public void Write(string folder) => File.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(this, CliJson.Options));
}

/// <summary>A backup or restore refused for a reason the operator can act on; nothing was changed.</summary>
internal sealed class BackupException(string message) : Exception(message);
