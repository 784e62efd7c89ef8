using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ReaderStudy.Core.Storage;
using ReaderStudy.Testing;

namespace ReaderStudy.Cli.Tests;

/// <summary>
/// `readerstudy store collect` removes only what nothing refers to: every file a series, kept original or generator
/// names stays however old, a file younger than the threshold stays (an import may be writing its rows), and
/// --dry-run removes nothing.
/// </summary>
public sealed class StoreCommandTests
{
    [Theory]
    [InlineData(TestDatabase.Sqlite)]
    [InlineData(TestDatabase.Postgres)]
    public async Task Collect_RemovesOldUnreferencedFilesOnly(TestDatabase database)
    {
        using var portal = new PortalFactory(database);
        portal.CreateClient().Dispose();   // started: the demo study and generator are stored
        var store = new LocalImageStore(Path.Combine(portal.DataFolder, "store"));
        await using var db = portal.NewDbContext();
        var referenced = await db.SeriesImages.Select(i => i.ContentHash).Distinct().ToListAsync();
        referenced.AddRange(await db.Generators.Select(g => g.Sha256).ToListAsync());
        var oldOrphan = Plant(store, $"{Hash()}.dcm", TimeSpan.FromHours(3));
        var newOrphan = Plant(store, $"{Hash()}.dcm", TimeSpan.FromMinutes(5));
        var oldPartial = Plant(store, $"{referenced[0]}.dcm.{Guid.NewGuid():N}.partial", TimeSpan.FromHours(3));
        foreach (var hash in referenced)
        {
            File.SetLastWriteTimeUtc(store.PathOf(hash), DateTime.UtcNow.AddDays(-30));
        }
        string[] where = database == TestDatabase.Postgres ? ["--data", portal.DataFolder, "--postgres", portal.ConnectionString] : ["--data", portal.DataFolder];

        var (dryExit, dry, _) = CommandLineTests.Run(["store", "collect", "--dry-run", .. where]);
        var dryLeftEverything = File.Exists(oldOrphan) && File.Exists(oldPartial);
        var (exit, output, error) = CommandLineTests.Run(["store", "collect", .. where]);

        Assert.Equal(0, dryExit);
        Assert.Equal(2, JsonDocument.Parse(dry).RootElement.GetProperty("files_removed").GetInt32());
        Assert.True(dryLeftEverything);
        Assert.True(exit == 0, error);
        Assert.Equal(2, JsonDocument.Parse(output).RootElement.GetProperty("files_removed").GetInt32());
        Assert.False(File.Exists(oldOrphan));
        Assert.False(File.Exists(oldPartial));
        Assert.True(File.Exists(newOrphan));
        Assert.All(referenced, hash => Assert.True(File.Exists(store.PathOf(hash)), $"referenced file {hash} was removed"));
    }

    private static string Hash() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    private static string Plant(LocalImageStore store, string name, TimeSpan age)
    {
        var path = Path.Combine(store.Root, name[..2], name[2..4], name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, [1, 2, 3]);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow - age);
        return path;
    }
}
