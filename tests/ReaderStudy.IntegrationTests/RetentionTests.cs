using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ReaderStudy.Core.Phantom;
using ReaderStudy.Core.Storage;
using ReaderStudy.Imaging.Phantom;
using ReaderStudy.Web.Features.Studies;

namespace ReaderStudy.IntegrationTests;

/// <summary>
/// The retention setting removes a closed study's images once its period has passed, and nothing else: the results,
/// exports, answers and audit log read the same afterwards, another study's files stay, and whatever needs the
/// pixels of the released study says why it cannot have them.
/// </summary>
public abstract class RetentionTests(TestDatabase database) : IDisposable
{
    private readonly PortalFactory portal = new(database, new Dictionary<string, string> { ["Retention:ClosedStudyImagesDays"] = "30" });
    private readonly string phantom = Directory.CreateTempSubdirectory("readerstudy-retention-").FullName;

    [Fact]
    public async Task ClosedStudyPastItsPeriod_LosesItsImagesOnly_AndItsResultsReadTheSame()
    {
        await using var db = portal.NewDbContext();
        var demo = await db.Studies.Where(s => s.Name == "Knee T2 phantom demo").Select(s => s.Id).SingleAsync();
        using var coordinator = await portal.NewClient().SignedInAsAsync(DemoUsers.Coordinator);
        var kept = await KeptStudyAsync(coordinator);
        using (var reader1 = await portal.NewClient().SignedInAsAsync(DemoUsers.Reader1))
        using (var reader2 = await portal.NewClient().SignedInAsAsync(DemoUsers.Reader2))
        {
            await DemoReading.ReadAllAsync(portal, reader1, demo, correct: true, grade: 5);
            await DemoReading.ReadAllAsync(portal, reader2, demo, correct: false, grade: 4);
        }
        Assert.Equal(HttpStatusCode.NoContent, (await coordinator.Http.PostAsJsonAsync($"/api/studies/{demo}/state", new StudyStateChange(Core.Studies.StudyState.Closed))).StatusCode);
        using var statistician = await portal.NewClient().SignedInAsAsync(DemoUsers.Statistician);
        var resultsBefore = await ResultsAsync(statistician, demo);
        var regionalBefore = await statistician.Http.GetStringAsync($"/api/studies/{demo}/exports/regional-t2.csv");
        var answersBefore = await db.Answers.CountAsync(a => a.StudyId == demo);
        var store = portal.Services.GetRequiredService<IImageStore>();
        var demoFiles = await StoredFiles.OfStudyAsync(db, demo, CancellationToken.None);
        var keptFiles = await StoredFiles.OfStudyAsync(db, kept, CancellationToken.None);
        Assert.NotEmpty(demoFiles);
        Assert.NotEmpty(keptFiles);
        using var admin = await portal.NewClient().SignedInAsAsync(DemoUsers.Admin);
        // Applied daily by the job queue, without anyone asking.
        using (var jobs = portal.Services.GetRequiredService<JobStorage>().GetConnection())
        {
            Assert.Equal("0 3 * * *", Assert.Single(jobs.GetRecurringJobs(), j => j.Id == "retention").Cron);
        }

        // Closed today: not yet due.
        Assert.Empty((await ApplyAsync(admin, dryRun: false)).GetProperty("studies").EnumerateArray());
        var demoSeries = await db.Series.Where(s => s.StudyId == demo).Select(s => s.Id).FirstAsync();
        Assert.Equal(HttpStatusCode.OK, (await coordinator.Http.GetAsync($"/api/studies/{demo}/series/{demoSeries}/volume")).StatusCode);

        await db.Studies.Where(s => s.Id == demo).ExecuteUpdateAsync(s => s.SetProperty(x => x.ClosedAt, DateTimeOffset.UtcNow.AddDays(-31)));
        var dryRun = await ApplyAsync(admin, dryRun: true);
        Assert.Equal([demo], dryRun.GetProperty("studies").EnumerateArray().Select(s => s.GetProperty("id").GetGuid()));
        Assert.Equal(0, dryRun.GetProperty("filesRemoved").GetInt32());
        Assert.All(demoFiles, hash => Assert.True(store.ContainsAsync(hash).Result));
        Assert.Equal(HttpStatusCode.Forbidden, (await coordinator.Http.PostAsync("/api/admin/retention?dryRun=false", null)).StatusCode);

        var applied = await ApplyAsync(admin, dryRun: false);

        Assert.Equal([demo], applied.GetProperty("studies").EnumerateArray().Select(s => s.GetProperty("id").GetGuid()));
        Assert.Equal(demoFiles.Count, applied.GetProperty("filesRemoved").GetInt32());
        foreach (var hash in demoFiles)
        {
            Assert.False(await store.ContainsAsync(hash), $"{hash} of the released study is still stored");
        }
        foreach (var hash in keptFiles)
        {
            Assert.Equal(hash, await ContentHash.OfFileAsync(await store.GetLocalPathAsync(hash), CancellationToken.None));
        }
        Assert.Equal(resultsBefore, await ResultsAsync(statistician, demo));
        Assert.Equal(regionalBefore, await statistician.Http.GetStringAsync($"/api/studies/{demo}/exports/regional-t2.csv"));
        Assert.Equal(answersBefore, await db.Answers.CountAsync(a => a.StudyId == demo));
        Assert.Equal(1, await db.AuditLog.CountAsync(e => e.Action == "retention.images-released" && e.StudyId == demo));
        var viewer = await coordinator.Http.GetAsync($"/api/studies/{demo}/series/{demoSeries}/volume");
        Assert.Equal(HttpStatusCode.BadRequest, viewer.StatusCode);
        Assert.Contains("retention setting", await viewer.Content.ReadAsStringAsync());
        var nifti = await statistician.Http.GetAsync($"/api/studies/{demo}/exports/maps-nifti.zip");
        Assert.Equal(HttpStatusCode.BadRequest, nifti.StatusCode);
        var shown = await coordinator.Http.GetFromJsonAsync<StudySummary>($"/api/studies/{demo}", PortalJson.Options);
        Assert.NotNull(shown!.ImagesReleasedAt);
        var keptSeries = await db.Series.Where(s => s.StudyId == kept).Select(s => s.Id).FirstAsync();
        Assert.Equal(HttpStatusCode.OK, (await coordinator.Http.GetAsync($"/api/studies/{kept}/series/{keptSeries}/volume")).StatusCode);

        var again = await ApplyAsync(admin, dryRun: false);
        Assert.Empty(again.GetProperty("studies").EnumerateArray());
        Assert.Equal(0, again.GetProperty("filesRemoved").GetInt32());
    }

    // A second study with its own imported subject, whose files retention must not touch.
    private async Task<Guid> KeptStudyAsync(PortalClient coordinator)
    {
        var studyId = await coordinator.CreateStudyAsync("Kept study");
        PhantomGenerator.Generate(phantom, 1, new KneePhantomOptions { Size = 48, Slices = 3, Seed = 9 });
        await coordinator.ImportFilesAsync(studyId, Directory.GetFiles(phantom, "*.dcm", SearchOption.AllDirectories));
        return studyId;
    }

    private static async Task<JsonElement> ApplyAsync(PortalClient admin, bool dryRun)
    {
        var response = await admin.Http.PostAsync($"/api/admin/retention?dryRun={dryRun.ToString().ToLowerInvariant()}", null);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    // The whole results document but the moment it was made.
    private static async Task<string> ResultsAsync(PortalClient statistician, Guid studyId)
    {
        var results = JsonNode.Parse(await statistician.Http.GetStringAsync($"/api/studies/{studyId}/results/full"))!.AsObject();
        results.Remove("generatedAt");
        return results.ToJsonString();
    }

    public void Dispose()
    {
        portal.Dispose();
        try { Directory.Delete(phantom, recursive: true); } catch (IOException) { }
        GC.SuppressFinalize(this);
    }
}

public sealed class RetentionOnSqlite() : RetentionTests(TestDatabase.Sqlite);

public sealed class RetentionOnPostgres() : RetentionTests(TestDatabase.Postgres);
