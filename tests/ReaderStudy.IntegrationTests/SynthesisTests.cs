using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Microsoft.Extensions.DependencyInjection;
using ReaderStudy.Core.Phantom;
using ReaderStudy.Core.Series;
using ReaderStudy.Core.Synthesis;
using ReaderStudy.Imaging.Phantom;
using ReaderStudy.Web.Features.Import;
using ReaderStudy.Web.Features.Studies;
using ReaderStudy.Web.Features.Synthesis;

namespace ReaderStudy.IntegrationTests;

/// <summary>Generator upload and synthetic maps through the HTTP API, with the affine test generator and phantom DICOM.</summary>
public abstract class SynthesisTests(PortalFactory portal) : IDisposable
{
    private readonly string phantom = Directory.CreateTempSubdirectory("readerstudy-synthesis-test-").FullName;

    internal static MultipartFormDataContent Upload(string model, GeneratorManifest manifest) => new()
    {
        { new ByteArrayContent(File.ReadAllBytes(model)), "model", Path.GetFileName(model) },
        { new StringContent(manifest.ToJson()), "manifest" },
    };

    internal static GeneratorManifest Manifest(string version) => TestModels.AffineManifest() with
    {
        Name = "affine",
        Version = version,
        Channels = [new GeneratorChannel("SAG DESS", 0, 2), new GeneratorChannel("SAG IW TSE", 0, 4)],
    };

    /// <summary>A new study holding <paramref name="subjects"/> imported phantom subjects, and a freshly registered affine generator.</summary>
    internal static async Task<(Guid StudyId, RegisteredGenerator Generator)> StudyWithGeneratorAsync(PortalClient coordinator, string phantomFolder, int subjects,
        int size = 48, int slices = 3)
    {
        var registered = await coordinator.Http.PostAsync("/api/generators", Upload(TestModels.Affine, Manifest(Guid.NewGuid().ToString("N")[..8])));
        Assert.True(registered.StatusCode == HttpStatusCode.OK, await registered.Content.ReadAsStringAsync());
        var generator = (await registered.Content.ReadFromJsonAsync<RegisteredGenerator>(PortalJson.Options))!;
        return (await StudyWithPhantomAsync(coordinator, phantomFolder, subjects, size, slices), generator);
    }

    /// <summary>A new study holding <paramref name="subjects"/> imported phantom subjects (anatomic, MESE, T2 map, segmentation).</summary>
    internal static async Task<Guid> StudyWithPhantomAsync(PortalClient coordinator, string phantomFolder, int subjects, int size = 48, int slices = 3)
    {
        var created = await coordinator.Http.PostAsJsonAsync("/api/studies", new NewStudy($"Synthesis {Guid.NewGuid():N}", ""));
        var studyId = (await created.Content.ReadFromJsonAsync<StudySummary>(PortalJson.Options))!.Id;
        var manifest = PhantomGenerator.Generate(phantomFolder, subjects, new KneePhantomOptions { Size = size, Slices = slices, Seed = 5 });
        var content = new MultipartFormDataContent();
        foreach (var file in manifest.Subjects.SelectMany(s => Directory.GetFiles(Path.Combine(phantomFolder, s.Pseudonym), "*.dcm", SearchOption.AllDirectories)))
        {
            content.Add(new ByteArrayContent(File.ReadAllBytes(file)), "files", Path.GetFileName(file));
        }
        var imported = await coordinator.Http.PostAsync($"/api/studies/{studyId}/import", content);
        Assert.True(imported.StatusCode == HttpStatusCode.OK, await imported.Content.ReadAsStringAsync());
        return studyId;
    }

    /// <summary>Polls the batch until every subject has its map (or a minute has passed), and returns it.</summary>
    internal static Task<SynthesisBatchView> FinishedBatchAsync(PortalClient coordinator, Guid studyId, Guid batchId, PortalFactory? portal = null) =>
        BatchWhenAsync(coordinator, studyId, batchId, b => b.Finished, "finish", portal);

    /// <summary>Polls the batch until nothing more happens without a coordinator: each subject has its map or has failed for good.</summary>
    private static Task<SynthesisBatchView> SettledBatchAsync(PortalClient coordinator, Guid studyId, Guid batchId) =>
        BatchWhenAsync(coordinator, studyId, batchId, b => b.Settled, "settle");

    private static async Task<SynthesisBatchView> BatchWhenAsync(PortalClient coordinator, Guid studyId, Guid batchId, Func<SynthesisBatchView, bool> reached, string what,
        PortalFactory? portal = null)
    {
        for (var wait = 0; wait < 240; wait++)
        {
            var batch = (await coordinator.Http.GetFromJsonAsync<List<SynthesisBatchView>>($"/api/studies/{studyId}/synthesis-batches", PortalJson.Options))!.Single(b => b.Id == batchId);
            if (reached(batch))
            {
                return batch;
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"Batch {batchId} did not {what} within a minute.{(portal is null ? "" : JobFailures(portal))}");
    }

    // Why jobs are waiting for a retry or have failed, from the portal's own Hangfire storage.
    private static string JobFailures(PortalFactory portal)
    {
        var jobs = portal.Services.GetRequiredService<Hangfire.JobStorage>().GetMonitoringApi();
        var scheduled = jobs.ScheduledJobs(0, 20).Select(j => j.Key);
        var failed = jobs.FailedJobs(0, 20).Select(j => $"{j.Key}: {j.Value.ExceptionType}: {j.Value.ExceptionMessage}\n{j.Value.ExceptionDetails}");
        var history = scheduled.Select(id => jobs.JobDetails(id)?.History.FirstOrDefault(h => h.Data.ContainsKey("ExceptionMessage")))
            .OfType<Hangfire.Storage.Monitoring.StateHistoryDto>().Select(h => $"{h.Data["ExceptionType"]}: {h.Data["ExceptionMessage"]}\n{(h.Data.TryGetValue("ExceptionDetails", out var details) ? details : "")}");
        return $" Waiting jobs: {jobs.EnqueuedCount("default")} enqueued, {jobs.ScheduledCount()} scheduled for retry, {jobs.ProcessingCount()} processing, {jobs.FailedCount()} failed.\n"
            + string.Join("\n", history.Concat(failed));
    }

    /// <summary>Starts a batch over every subject of the study, insisting the portal took it, and returns its first view.</summary>
    internal static async Task<SynthesisBatchView> StartBatchAsync(PortalClient coordinator, Guid studyId, Guid generatorId)
    {
        var started = await coordinator.Http.PostAsJsonAsync($"/api/studies/{studyId}/synthesis-batches", new NewSynthesisBatch(generatorId));
        Assert.True(started.StatusCode == HttpStatusCode.OK, await started.Content.ReadAsStringAsync());
        return (await started.Content.ReadFromJsonAsync<SynthesisBatchView>(PortalJson.Options))!;
    }

    /// <summary>Every one of the study's <paramref name="subjects"/> has exactly one synthetic map: none missing, none doubled.</summary>
    internal static async Task AssertOneMapPerSubjectAsync(PortalClient coordinator, Guid studyId, int subjects)
    {
        var maps = await SyntheticMapsPerSubject(coordinator, studyId);
        Assert.Equal(subjects, maps.Count);
        Assert.All(maps.Values, count => Assert.Equal(1, count));
    }

    internal static async Task<Dictionary<string, int>> SyntheticMapsPerSubject(PortalClient coordinator, Guid studyId) =>
        (await coordinator.Http.GetFromJsonAsync<List<SeriesView>>($"/api/studies/{studyId}/series", PortalJson.Options))!
            .Where(s => s.Origin == MapOrigin.Synthetic).GroupBy(s => s.Subject).ToDictionary(g => g.Key, g => g.Count());

    [Fact]
    public async Task Batch_MakesOneMapPerSubjectInTheBackground_AndRunningItAgainMakesNoDuplicate()
    {
        var coordinator = await portal.NewClient().SignedInAsAsync(DemoUsers.Coordinator);
        var (studyId, generator) = await StudyWithGeneratorAsync(coordinator, phantom, 3);

        var batch = await StartBatchAsync(coordinator, studyId, generator.Id);
        Assert.Equal(3, batch.Subjects);
        var finished = await FinishedBatchAsync(coordinator, studyId, batch.Id, portal);
        Assert.Equal(3, finished.Done);

        var again = await StartBatchAsync(coordinator, studyId, generator.Id);
        await FinishedBatchAsync(coordinator, studyId, again.Id, portal);
        await Task.Delay(1500);   // give any (wrongly) duplicated job time to land
        await AssertOneMapPerSubjectAsync(coordinator, studyId, 3);
    }

    [Fact]
    public async Task Batch_ListsEachSubjectThatFailedAndWhy_AndARetryQueuesThemAgain()
    {
        var coordinator = await portal.NewClient().SignedInAsAsync(DemoUsers.Coordinator);
        var (studyId, _) = await StudyWithGeneratorAsync(coordinator, phantom, 2);
        // The phantom has no fat-suppressed PD series: every subject lacks the second input.
        var manifest = Manifest(Guid.NewGuid().ToString("N")[..8]) with { Channels = [new GeneratorChannel("SAG DESS", 0, 2), new GeneratorChannel("SAG PD FS", 0, 4)] };
        var generator = (await (await coordinator.Http.PostAsync("/api/generators", Upload(TestModels.Affine, manifest))).Content.ReadFromJsonAsync<RegisteredGenerator>(PortalJson.Options))!;
        var started = await StartBatchAsync(coordinator, studyId, generator.Id);

        var settled = await SettledBatchAsync(coordinator, studyId, started.Id);

        Assert.Equal((0, 2), (settled.Done, settled.Failed));
        Assert.Equal(["S-0001", "S-0002"], settled.Failures.Select(f => f.Subject));
        Assert.All(settled.Failures, f => Assert.Contains("has no anatomic series 'SAG PD FS'", f.Error));
        Assert.All(settled.Failures, f => Assert.Equal((1, true), (f.Attempt, f.Final)));   // a missing series is not retried automatically

        var reader = await portal.NewClient().SignedInAsAsync(DemoUsers.Reader1);
        var refused = await reader.Http.PostAsync($"/api/studies/{studyId}/synthesis-batches/{started.Id}/retry", null);
        Assert.Contains(refused.StatusCode, new[] { HttpStatusCode.Forbidden, HttpStatusCode.NotFound });
        var firstFailed = settled.Failures.Max(f => f.FailedAt);
        var retry = await coordinator.Http.PostAsync($"/api/studies/{studyId}/synthesis-batches/{started.Id}/retry", null);
        Assert.True(retry.StatusCode == HttpStatusCode.OK, await retry.Content.ReadAsStringAsync());
        // The answered failures are superseded at once; what the batch lists from now on are the new round's.
        Assert.All((await retry.Content.ReadFromJsonAsync<SynthesisBatchView>(PortalJson.Options))!.Failures, f => Assert.True(f.FailedAt > firstFailed));

        SynthesisBatchView again;
        do
        {
            again = await SettledBatchAsync(coordinator, studyId, started.Id);
        }
        while (again.Failures.Any(f => f.FailedAt <= firstFailed));
        Assert.Equal(2, again.Failed);
        Assert.All(again.Failures, f => Assert.Equal(1, f.Attempt));
        Assert.Empty(await SyntheticMapsPerSubject(coordinator, studyId));
    }

    [Fact]
    public async Task DemoGenerator_IsRegisteredAtStartUp_AndMakesAMapForADemoSubject()
    {
        var coordinator = await portal.NewClient().SignedInAsAsync(DemoUsers.Coordinator);
        var demo = (await coordinator.Http.GetFromJsonAsync<List<RegisteredGenerator>>("/api/generators", PortalJson.Options))!
            .Single(g => g.Name == "knee T2 U-Net (phantom demo)");
        Assert.Equal("demo seed", demo.UploadedBy);
        var study = (await coordinator.Http.GetFromJsonAsync<List<StudySummary>>("/api/studies", PortalJson.Options))!.Single(s => s.Name == "Knee T2 phantom demo");
        var series = (await coordinator.Http.GetFromJsonAsync<List<SeriesView>>($"/api/studies/{study.Id}/series", PortalJson.Options))!;

        var response = await coordinator.Http.PostAsJsonAsync($"/api/studies/{study.Id}/synthesize", new SynthesisRequest(await SubjectOf(study.Id, series[0].Id), demo.Id));

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var outcome = (await response.Content.ReadFromJsonAsync<SynthesisOutcome>(PortalJson.Options))!;
        Assert.NotNull(outcome.RealSeriesId);
    }

    [Fact]
    public async Task DemoStudy_PairsEachFittedRealMap_WithAMapTheDemoGeneratorMade()
    {
        await using var db = portal.NewDbContext();
        var study = await db.Studies.SingleAsync(s => s.Name == "Knee T2 phantom demo");
        var cases = await db.Cases.Where(c => c.StudyId == study.Id).ToListAsync();
        var subjects = await db.Subjects.CountAsync(s => s.StudyId == study.Id);

        Assert.Equal(subjects, cases.Select(c => c.SubjectId).Distinct().Count());
        foreach (var readingCase in cases)
        {
            var (real, synthetic) = (await db.Series.FindAsync(readingCase.RealSeriesId), await db.Series.FindAsync(readingCase.SyntheticSeriesId));
            Assert.Equal(MapOrigin.Real, real!.Origin);
            Assert.Equal(MapOrigin.Synthetic, synthetic!.Origin);
            Assert.Contains("synthesized by knee T2 U-Net (phantom demo)", synthetic.KindRule);
        }
    }

    [Fact]
    public async Task CancelledBatch_ResumedWithRetry_FinishesWithOneMapPerSubject()
    {
        var coordinator = await portal.NewClient().SignedInAsAsync(DemoUsers.Coordinator);
        var (studyId, generator) = await StudyWithGeneratorAsync(coordinator, phantom, 4, size: 96, slices: 8);
        var batch = await StartBatchAsync(coordinator, studyId, generator.Id);

        Assert.Equal(HttpStatusCode.NoContent, (await coordinator.Http.PostAsync($"/api/studies/{studyId}/synthesis-batches/{batch.Id}/cancel", null)).StatusCode);
        var cancelled = (await coordinator.Http.GetFromJsonAsync<List<SynthesisBatchView>>($"/api/studies/{studyId}/synthesis-batches", PortalJson.Options))!.Single(b => b.Id == batch.Id);
        Assert.True(cancelled.Cancelled);
        await Task.Delay(1000);   // let a job that had begun before the cancel finish
        var retry = await coordinator.Http.PostAsync($"/api/studies/{studyId}/synthesis-batches/{batch.Id}/retry", null);

        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.False((await retry.Content.ReadFromJsonAsync<SynthesisBatchView>(PortalJson.Options))!.Cancelled);
        Assert.Equal(4, (await FinishedBatchAsync(coordinator, studyId, batch.Id, portal)).Done);
        await AssertOneMapPerSubjectAsync(coordinator, studyId, 4);
    }

    [Fact]
    public async Task TwoWorkersOnOneSubjectAtOnce_LeaveExactlyOneMap()
    {
        var coordinator = await portal.NewClient().SignedInAsAsync(DemoUsers.Coordinator);
        var (studyId, generator) = await StudyWithGeneratorAsync(coordinator, phantom, 1, size: 96, slices: 8);
        var batch = await StartBatchAsync(coordinator, studyId, generator.Id);
        Guid subject;
        await using (var db = portal.NewDbContext())
        {
            subject = (await db.Subjects.SingleAsync(s => s.StudyId == studyId)).Id;
        }

        // Besides the queued job, two more workers for the same subject, started together, as if from two processes.
        await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
        {
            await using var scope = portal.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<SynthesisWorker>().SynthesizeAsync(batch.Id, subject, 0, CancellationToken.None);
        }));

        await FinishedBatchAsync(coordinator, studyId, batch.Id, portal);
        await Task.Delay(1000);   // the queued job, too, has had its turn
        await using var check = portal.NewDbContext();
        var maps = await check.Series.Where(s => s.StudyId == studyId && s.Origin == MapOrigin.Synthetic).ToListAsync();
        Assert.True(maps.Count == 1, string.Join("\n", maps.Select(m => $"{m.Id} {m.ImportedAt:O} {m.Kind} {m.KindRule}")));
    }

    [Fact]
    public async Task JobDashboard_IsForAdministratorsOnly()
    {
        var admin = await portal.NewClient().SignedInAsAsync(DemoUsers.Admin);
        var coordinator = await portal.NewClient().SignedInAsAsync(DemoUsers.Coordinator);

        var page = await admin.Http.GetAsync("/admin/jobs");
        Assert.True(page.StatusCode == HttpStatusCode.OK, $"{page.StatusCode}");
        Assert.Contains("ReaderStudy background jobs", await page.Content.ReadAsStringAsync());
        var refused = await coordinator.Http.GetAsync("/admin/jobs");
        Assert.Contains("AccessDenied", refused.RedirectPath());
        var anonymous = await portal.NewClient().Http.GetAsync("/admin/jobs/jobs/failed");
        Assert.Contains("/Account/Login", anonymous.RedirectPath());
    }

    [Fact]
    public async Task Reader_CannotStartABatch()
    {
        var reader = await portal.NewClient().SignedInAsAsync(DemoUsers.Reader1);
        var response = await reader.Http.PostAsJsonAsync($"/api/studies/{Guid.NewGuid()}/synthesis-batches", new NewSynthesisBatch(Guid.NewGuid()));
        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.Forbidden, HttpStatusCode.NotFound });
    }

    [Fact]
    public async Task Coordinator_RegistersAGenerator_AndGetsASyntheticMapBesideTheRealOne()
    {
        var coordinator = await portal.NewClient().SignedInAsAsync(DemoUsers.Coordinator);
        var version = Guid.NewGuid().ToString("N")[..8];
        var registered = await coordinator.Http.PostAsync("/api/generators", Upload(TestModels.Affine, Manifest(version)));
        Assert.True(registered.StatusCode == HttpStatusCode.OK, await registered.Content.ReadAsStringAsync());
        var generator = (await registered.Content.ReadFromJsonAsync<RegisteredGenerator>(PortalJson.Options))!;
        Assert.Equal(64, generator.Sha256.Length);
        Assert.Equal("CPU", generator.CheckedOn);

        var created = await coordinator.Http.PostAsJsonAsync("/api/studies", new NewStudy($"Synthesis {Guid.NewGuid():N}", ""));
        var studyId = (await created.Content.ReadFromJsonAsync<StudySummary>(PortalJson.Options))!.Id;
        var manifest = PhantomGenerator.Generate(phantom, 1, new KneePhantomOptions { Size = 48, Slices = 3, Seed = 5 });
        var content = new MultipartFormDataContent();
        foreach (var file in Directory.GetFiles(Path.Combine(phantom, manifest.Subjects[0].Pseudonym), "*.dcm", SearchOption.AllDirectories))
        {
            content.Add(new ByteArrayContent(File.ReadAllBytes(file)), "files", Path.GetFileName(file));
        }
        Assert.Equal(HttpStatusCode.OK, (await coordinator.Http.PostAsync($"/api/studies/{studyId}/import", content)).StatusCode);
        var series = (await coordinator.Http.GetFromJsonAsync<List<SeriesView>>($"/api/studies/{studyId}/series", PortalJson.Options))!;
        var subjectId = await SubjectOf(studyId, series[0].Id);

        var response = await coordinator.Http.PostAsJsonAsync($"/api/studies/{studyId}/synthesize", new SynthesisRequest(subjectId, generator.Id));

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var outcome = (await response.Content.ReadFromJsonAsync<SynthesisOutcome>(PortalJson.Options))!;
        Assert.Equal("CPU", outcome.Provider);
        Assert.Equal(3, outcome.Slices);
        var after = (await coordinator.Http.GetFromJsonAsync<List<SeriesView>>($"/api/studies/{studyId}/series", PortalJson.Options))!;
        var synthetic = after.Single(s => s.Id == outcome.SyntheticSeriesId);
        Assert.Equal(MapOrigin.Synthetic, synthetic.Origin);
        Assert.Equal(SeriesKind.T2Map, synthetic.Kind);
        Assert.Contains($"synthesized by affine {version} (sha256 {generator.Sha256}) on CPU", synthetic.KindRule);
        Assert.Equal(3, synthetic.Images);
    }

    [Theory]
    [InlineData("three_channels.onnx", "input tensor 'anatomic' has 3 channels, not 2")]
    [InlineData("wrong_rank.onnx", "input tensor 'anatomic' has rank 3, not 4")]
    [InlineData("integer_input.onnx", "input tensor 'anatomic' is not float")]
    public async Task MismatchedGenerator_IsRefusedWithWhatDiffers_AndNothingIsRegistered(string file, string message)
    {
        var coordinator = await portal.NewClient().SignedInAsAsync(DemoUsers.Coordinator);
        var version = Guid.NewGuid().ToString("N")[..8];

        var response = await coordinator.Http.PostAsync("/api/generators", Upload(TestModels.Path(file), Manifest(version)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync());
        var all = (await coordinator.Http.GetFromJsonAsync<List<RegisteredGenerator>>("/api/generators", PortalJson.Options))!;
        Assert.DoesNotContain(all, g => g.Version == version);
    }

    [Fact]
    public async Task RegisteredVersion_CannotBeReplacedByAnotherFile()
    {
        var coordinator = await portal.NewClient().SignedInAsAsync(DemoUsers.Coordinator);
        var version = Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(HttpStatusCode.OK, (await coordinator.Http.PostAsync("/api/generators", Upload(TestModels.Affine, Manifest(version)))).StatusCode);
        // The same file again is harmless: it is the same registered version.
        Assert.Equal(HttpStatusCode.OK, (await coordinator.Http.PostAsync("/api/generators", Upload(TestModels.Affine, Manifest(version)))).StatusCode);

        var response = await coordinator.Http.PostAsync("/api/generators", Upload(TestModels.ThreeChannels, Manifest(version) with
        {
            Channels = [new GeneratorChannel("SAG DESS"), new GeneratorChannel("SAG IW TSE"), new GeneratorChannel("SAG T1")],
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("is already registered with another file", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Reader_CannotUploadOrListGenerators()
    {
        var reader = await portal.NewClient().SignedInAsAsync(DemoUsers.Reader1);

        Assert.Equal(HttpStatusCode.Forbidden, (await reader.Http.GetAsync("/api/generators")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.Http.PostAsync("/api/generators", Upload(TestModels.Affine, Manifest("x")))).StatusCode);
    }

    private async Task<Guid> SubjectOf(Guid studyId, Guid seriesId)
    {
        using var scope = portal.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<ReaderStudy.Core.Data.ReaderStudyDbContext>>().CreateDbContext();
        return (await db.Series.FindAsync(seriesId))!.SubjectId;
    }

    public void Dispose() => Directory.Delete(phantom, recursive: true);
}

public sealed class SynthesisOnSqlite(SqlitePortal portal) : SynthesisTests(portal), IClassFixture<SqlitePortal>;

public sealed class SynthesisOnPostgres(PostgresPortal portal) : SynthesisTests(portal), IClassFixture<PostgresPortal>;

/// <summary>Stopping the portal mid-batch and starting it again on the same data: every subject gets its map, once.</summary>
public sealed class SynthesisRestartTests : IDisposable
{
    private readonly string data = Directory.CreateTempSubdirectory("readerstudy-restart-").FullName;
    private readonly string phantom = Directory.CreateTempSubdirectory("readerstudy-restart-phantom-").FullName;

    private PortalFactory Portal() => new(TestDatabase.Sqlite, new Dictionary<string, string> { ["Storage:DataFolder"] = data });

    [Fact]
    public async Task PortalStoppedMidBatch_FinishesTheBatchAfterRestart_WithoutDuplicateOrMissingMaps()
    {
        Guid studyId, batchId;
        using (var first = Portal())
        {
            var coordinator = await first.NewClient().SignedInAsAsync(DemoUsers.Coordinator);
            (studyId, var generator) = await SynthesisTests.StudyWithGeneratorAsync(coordinator, phantom, 4);
            batchId = (await SynthesisTests.StartBatchAsync(coordinator, studyId, generator.Id)).Id;
        }   // stopped at once: the batch has at most begun

        using var second = Portal();
        var again = await second.NewClient().SignedInAsAsync(DemoUsers.Coordinator);
        var finished = await SynthesisTests.FinishedBatchAsync(again, studyId, batchId);

        Assert.Equal(4, finished.Done);
        await SynthesisTests.AssertOneMapPerSubjectAsync(again, studyId, 4);
    }

    public void Dispose()
    {
        Directory.Delete(phantom, recursive: true);
        try { Directory.Delete(data, recursive: true); } catch (IOException) { }
    }
}

/// <summary>
/// The portal process killed outright (SIGKILL) while a batch runs, then started again on the same database and
/// data folder: the batch finishes with exactly one map per subject. On SQLite the restarted portal queues the
/// missing subjects again; on PostgreSQL the queue survived, and the job the dead worker held is handed out again
/// once abandoned (Synthesis:AbandonedJobTimeout).
/// </summary>
public abstract class SynthesisKillTests(TestDatabase database) : IDisposable
{
    private const int Subjects = 8;
    private readonly string data = Directory.CreateTempSubdirectory("readerstudy-kill-").FullName;
    private readonly string phantom = Directory.CreateTempSubdirectory("readerstudy-kill-phantom-").FullName;

    private Dictionary<string, string> Settings() => SettingsFor(database, database == TestDatabase.Postgres ? PostgresServer.NewDatabase() : "", data);

    internal static Dictionary<string, string> SettingsFor(TestDatabase database, string connectionString, string data) =>
        new(PortalProcess.DemoSettings(database, connectionString, data)) { ["Synthesis:AbandonedJobTimeout"] = "00:00:05" };

    internal static async Task<RegisteredGenerator> DemoGeneratorAsync(PortalClient coordinator) =>
        (await coordinator.Http.GetFromJsonAsync<List<RegisteredGenerator>>("/api/generators", PortalJson.Options))!.Single(g => g.UploadedBy == "demo seed" && g.Name.StartsWith("knee T2", StringComparison.Ordinal));

    internal static async Task<PortalClient> CoordinatorAsync(PortalProcess portal)
    {
        // The demo accounts are seeded as the portal starts; give the seeder a moment if it is still at work.
        for (var attempt = 0; ; attempt++)
        {
            var client = portal.NewClient();
            var response = await client.SignInAsync(DemoUsers.Coordinator);
            if (response.StatusCode == HttpStatusCode.Redirect && !response.RedirectPath().Contains("Account", StringComparison.Ordinal))
            {
                await client.TakeAntiforgeryTokenAsync();
                return client;
            }
            client.Dispose();
            if (attempt == 50)
            {
                throw new InvalidOperationException($"Sign-in as the demo coordinator failed: {(int)response.StatusCode} {response.Headers.Location}\n{portal.Log}");
            }
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task PortalKilledMidBatch_FinishesTheBatchAfterRestart_WithoutDuplicateOrMissingMaps()
    {
        var settings = Settings();
        Guid studyId, batchId;
        int doneWhenKilled;
        using (var first = await PortalProcess.StartAsync(settings))
        {
            var coordinator = await CoordinatorAsync(first);
            (studyId, _) = await SynthesisTests.StudyWithGeneratorAsync(coordinator, phantom, Subjects, size: 128, slices: 8);
            // The demo U-Net, not the affine model: slow enough per subject that the batch is surely under way, not over, when killed.
            batchId = (await SynthesisTests.StartBatchAsync(coordinator, studyId, (await DemoGeneratorAsync(coordinator)).Id)).Id;
            doneWhenKilled = 0;
            while (doneWhenKilled == 0)
            {
                doneWhenKilled = (await coordinator.Http.GetFromJsonAsync<List<SynthesisBatchView>>($"/api/studies/{studyId}/synthesis-batches", PortalJson.Options))!
                    .Single(b => b.Id == batchId).Done;
            }
            first.Kill();
        }
        Assert.True(doneWhenKilled < Subjects, $"the batch had finished ({doneWhenKilled} of {Subjects}) before the portal was killed");

        var restart = System.Diagnostics.Stopwatch.StartNew();
        using var second = await PortalProcess.StartAsync(settings);
        var again = await CoordinatorAsync(second);
        var finished = await SynthesisTests.FinishedBatchAsync(again, studyId, batchId);

        Assert.Equal(Subjects, finished.Done);
        await SynthesisTests.AssertOneMapPerSubjectAsync(again, studyId, Subjects);
        Console.WriteLine($"{database}: killed with {doneWhenKilled} of {Subjects} done; the batch finished {restart.Elapsed.TotalSeconds:F1} s after the restart began (abandoned-job timeout 5 s)");
    }

    public void Dispose()
    {
        Directory.Delete(phantom, recursive: true);
        try { Directory.Delete(data, recursive: true); } catch (IOException) { }
    }
}

/// <summary>Two portal processes on one PostgreSQL database share its job queue: both work on one batch, and each map is made once.</summary>
public sealed class SynthesisWorkersShareOneQueue : IDisposable
{
    private const int Subjects = 8;
    private readonly string data = Directory.CreateTempSubdirectory("readerstudy-workers-").FullName;
    private readonly string phantom = Directory.CreateTempSubdirectory("readerstudy-workers-phantom-").FullName;
    private readonly string connectionString = PostgresServer.NewDatabase();

    [Fact]
    public async Task TwoPortalProcesses_BothWorkOnOneBatch_AndEachSubjectGetsOneMap()
    {
        var settings = SynthesisKillTests.SettingsFor(TestDatabase.Postgres, connectionString, data);
        // One after the other, so the second finds the demo data seeded rather than racing to seed it.
        using var first = await PortalProcess.StartAsync(settings);
        var coordinator = await SynthesisKillTests.CoordinatorAsync(first);
        using var second = await PortalProcess.StartAsync(settings);
        var (studyId, _) = await SynthesisTests.StudyWithGeneratorAsync(coordinator, phantom, Subjects, size: 128, slices: 8);
        // The demo U-Net takes long enough per subject (unlike the affine model) for the second process's poll to find work.
        var demo = await SynthesisKillTests.DemoGeneratorAsync(coordinator);

        var batchId = (await SynthesisTests.StartBatchAsync(coordinator, studyId, demo.Id)).Id;
        var finished = await SynthesisTests.FinishedBatchAsync(await SynthesisKillTests.CoordinatorAsync(second), studyId, batchId);

        Assert.Equal(Subjects, finished.Done);
        await SynthesisTests.AssertOneMapPerSubjectAsync(coordinator, studyId, Subjects);
        await using var db = new NpgsqlConnection(connectionString);
        await db.OpenAsync();
        await using var servers = new NpgsqlCommand(
            "select count(distinct s.data::jsonb->>'ServerId') from hangfire.state s join hangfire.job j on j.id = s.jobid " +
            "where s.name = 'Processing' and j.invocationdata::text like '%SynthesisWorker%'", db);
        Assert.Equal(2L, (long)(await servers.ExecuteScalarAsync())!);
    }

    public void Dispose()
    {
        Directory.Delete(phantom, recursive: true);
        try { Directory.Delete(data, recursive: true); } catch (IOException) { }
    }
}

public sealed class SynthesisKillOnSqlite() : SynthesisKillTests(TestDatabase.Sqlite);

public sealed class SynthesisKillOnPostgres() : SynthesisKillTests(TestDatabase.Postgres);
