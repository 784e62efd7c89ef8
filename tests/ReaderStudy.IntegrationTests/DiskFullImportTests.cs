using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ReaderStudy.Core.Phantom;
using ReaderStudy.Core.Storage;
using ReaderStudy.Imaging.Phantom;
using ReaderStudy.Web.Features.Studies;
using Xunit.Abstractions;

namespace ReaderStudy.IntegrationTests;

/// <summary>
/// The data folder's disk fills up in the middle of an import: the import stops with 507 naming the full disk, the
/// series stored before it are whole, nothing of the rest is recorded, no half-copied file is left, and the same
/// files imported again once there is room finish the job. The data folder (SQLite database and image store) is a
/// tmpfs mounted small for the test; where mounting is not allowed, a store with a byte budget raises the same
/// "no space left on device" error instead, and the test says which it ran.
/// </summary>
public abstract class DiskFullImportTests(TestDatabase database, ITestOutputHelper output) : IDisposable
{
    private readonly SmallDisk disk = new();
    private readonly string phantom = Directory.CreateTempSubdirectory("readerstudy-diskfull-").FullName;

    [Fact]
    public async Task Import_WhenTheDiskFills_StopsWith507_KeepsWhatCameBeforeWhole_AndFinishesWhenImportedAgain()
    {
        using var portal = new SmallDiskPortal(database, disk);
        var coordinator = await portal.NewClient().SignedInAsAsync(DemoUsers.Coordinator);
        var studyId = await coordinator.CreateStudyAsync("Disk full");
        PhantomGenerator.Generate(phantom, 3, new KneePhantomOptions { Size = 128, Slices = 4, Seed = 5 });
        var files = Directory.GetFiles(phantom, "*.dcm", SearchOption.AllDirectories).Order().ToArray();
        var bytes = files.Sum(f => new FileInfo(f).Length);
        // Room for about a subject and a half: the import must run out of space partway.
        disk.LeaveFree(bytes / 2);

        using var full = await coordinator.Http.PostAsync($"/api/studies/{studyId}/import", StudyApiCalls.Upload(files));

        var body = await full.Content.ReadAsStringAsync();
        Assert.True(full.StatusCode == HttpStatusCode.InsufficientStorage, $"{full.StatusCode}: {body}");
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal("A disk is full", problem.GetProperty("title").GetString());
        Assert.Contains("disk", problem.GetProperty("detail").GetString()!);
        Assert.Contains("import the same files again", problem.GetProperty("detail").GetString()!);
        Assert.DoesNotContain(disk.Folder, body);
        var statuses = problem.GetProperty("series").EnumerateArray().Select(s => s.GetProperty("status").GetString()!).ToList();
        var imported = statuses.Count(s => s == "Imported");
        output.WriteLine($"{disk.Kind}: {files.Length} files, {bytes / 1024} KiB; {string.Join(", ", statuses)}");
        Assert.InRange(imported, 1, statuses.Count - 2);
        Assert.Equal(imported, statuses.TakeWhile(s => s == "Imported").Count());
        Assert.Equal("Refused", statuses[imported]);
        Assert.All(statuses.Skip(imported + 1), s => Assert.Equal("NotAttempted", s));
        await AssertEverySeriesWholeAsync(portal, studyId, expectedSeries: imported);
        Assert.Empty(Directory.GetFiles(disk.Folder, "*.partial", SearchOption.AllDirectories));

        // The portal still answers while the disk is full.
        Assert.Equal(HttpStatusCode.OK, (await coordinator.Http.GetAsync($"/api/studies/{studyId}/series")).StatusCode);

        disk.LeaveFree(64L << 20);
        using var again = await coordinator.Http.PostAsync($"/api/studies/{studyId}/import", StudyApiCalls.Upload(files));

        var second = JsonDocument.Parse(await again.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var secondStatuses = second.GetProperty("series").EnumerateArray().Select(s => s.GetProperty("status").GetString()!).ToList();
        Assert.Equal(Enumerable.Repeat("AlreadyImported", imported).Concat(Enumerable.Repeat("Imported", statuses.Count - imported)), secondStatuses);
        await AssertEverySeriesWholeAsync(portal, studyId, expectedSeries: statuses.Count);
        await using var db = portal.NewDbContext();
        Assert.Equal(files.Length, await db.SeriesImages.CountAsync(i => db.Series.Any(s => s.Id == i.SeriesId && s.StudyId == studyId)));
    }

    /// <summary>Every recorded series has all its images, and every image's file is in the store with the bytes of its hash.</summary>
    private static async Task AssertEverySeriesWholeAsync(PortalFactory portal, Guid studyId, int expectedSeries)
    {
        await using var db = portal.NewDbContext();
        var series = await db.Series.Where(s => s.StudyId == studyId).Include(s => s.Images).ToListAsync();
        Assert.Equal(expectedSeries, series.Count);
        var store = portal.Services.GetRequiredService<IImageStore>();
        foreach (var one in series)
        {
            Assert.Equal(one.ImageCount, one.Images.Count);
            foreach (var image in one.Images)
            {
                Assert.Equal(image.ContentHash, await ContentHash.OfFileAsync(await store.GetLocalPathAsync(image.ContentHash), CancellationToken.None));
            }
        }
    }

    public void Dispose()
    {
        disk.Dispose();
        try { Directory.Delete(phantom, recursive: true); } catch (IOException) { }
        GC.SuppressFinalize(this);
    }

    private sealed class SmallDiskPortal(TestDatabase database, SmallDisk disk)
        : PortalFactory(database, new Dictionary<string, string> { ["Storage:DataFolder"] = disk.Folder })
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            if (disk.Budget is not null)
            {
                builder.ConfigureServices(services => services.AddSingleton<IImageStore>(disk.Budget));
            }
        }
    }
}

/// <summary>A small disk for the data folder: a tmpfs whose size is set to what is used plus what is to be left free.</summary>
internal sealed class SmallDisk : IDisposable
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("readerstudy-smalldisk-").FullName;

    /// <summary>The stand-in store where no tmpfs could be mounted; null on a real small disk.</summary>
    public BudgetStore? Budget { get; }

    public string Kind => Budget is null ? "tmpfs" : "store with a byte budget (mount not allowed here)";

    public SmallDisk()
    {
        if (!Run("mount", $"-t tmpfs -o size=256m tmpfs {Folder}"))
        {
            Budget = new BudgetStore(new LocalImageStore(Path.Combine(Folder, "store")));
        }
    }

    public void LeaveFree(long bytes)
    {
        if (Budget is not null)
        {
            Budget.Left = bytes;
            return;
        }
        var drive = new DriveInfo(Folder);
        var used = drive.TotalSize - drive.AvailableFreeSpace;
        Assert.True(Run("mount", $"-o remount,size={used + bytes} tmpfs {Folder}"), "remounting the small disk failed");
    }

    private static bool Run(string file, string arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    public void Dispose()
    {
        if (Budget is null)
        {
            Run("umount", $"-l {Folder}");
        }
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}

/// <summary>A local store that fails as a full disk does (ENOSPC) once the bytes it may still write are spent.</summary>
internal sealed class BudgetStore(LocalImageStore inner) : IImageStore
{
    private readonly Lock budget = new();

    public long Left { get; set; } = long.MaxValue;

    // The importer stores a series' files on several threads at once: the budget is spent under a lock.
    public Task<(string Hash, long Bytes)> PutAsync(string sourceFile, CancellationToken cancellationToken = default)
    {
        var size = new FileInfo(sourceFile).Length;
        lock (budget)
        {
            if (size > Left)
            {
                throw new IOException("No space left on device", 28);
            }
            Left -= size;
        }
        return inner.PutAsync(sourceFile, cancellationToken);
    }

    public Task<string> GetLocalPathAsync(string hash, CancellationToken cancellationToken = default) => inner.GetLocalPathAsync(hash, cancellationToken);

    public Task<bool> ContainsAsync(string hash, CancellationToken cancellationToken = default) => inner.ContainsAsync(hash, cancellationToken);

    public Task DeleteAsync(string hash, CancellationToken cancellationToken = default) => inner.DeleteAsync(hash, cancellationToken);
}

public sealed class DiskFullImportOnSqlite(ITestOutputHelper output) : DiskFullImportTests(TestDatabase.Sqlite, output);

public sealed class DiskFullImportOnPostgres(ITestOutputHelper output) : DiskFullImportTests(TestDatabase.Postgres, output);
