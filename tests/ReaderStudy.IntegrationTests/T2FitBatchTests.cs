using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ReaderStudy.Core.Series;
using ReaderStudy.Core.T2Mapping;
using ReaderStudy.Web.Features.T2Fitting;

namespace ReaderStudy.IntegrationTests;

/// <summary>Real T2 maps for every subject of a study as background jobs, through the HTTP API, with phantom DICOM.</summary>
public abstract class T2FitBatchTests(PortalFactory portal) : IDisposable
{
    private readonly string phantom = Directory.CreateTempSubdirectory("readerstudy-fit-batch-test-").FullName;

    private static async Task<HttpResponseMessage> StartAsync(PortalClient client, Guid studyId, NewT2FitBatch request) =>
        await client.Http.PostAsJsonAsync($"/api/studies/{studyId}/t2-fit-batches", request, PortalJson.Options);

    private static async Task<T2FitBatchView> BatchAsync(PortalClient coordinator, Guid studyId, Guid batchId) =>
        (await coordinator.Http.GetFromJsonAsync<List<T2FitBatchView>>($"/api/studies/{studyId}/t2-fit-batches", PortalJson.Options))!.Single(b => b.Id == batchId);

    private static async Task<T2FitBatchView> SettledAsync(PortalClient coordinator, Guid studyId, Guid batchId)
    {
        for (var wait = 0; wait < 240; wait++)
        {
            var batch = await BatchAsync(coordinator, studyId, batchId);
            if (batch.Settled)
            {
                return batch;
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"Fit batch {batchId} did not settle within a minute.");
    }

    private async Task<List<ImagingSeries>> FittedMapsAsync(Guid studyId)
    {
        await using var db = portal.NewDbContext();
        return await db.Series.AsNoTracking().Where(s => s.StudyId == studyId && s.Kind == SeriesKind.T2Map && s.Origin == MapOrigin.Real).ToListAsync();
    }

    [Fact]
    public async Task Batch_FitsEachSubjectsMese_OneRealMapEach_AndAJobRunTwiceAddsNone()
    {
        var coordinator = await portal.NewClient().SignedInAsAsync(DemoUsers.Coordinator);
        var studyId = await SynthesisTests.StudyWithPhantomAsync(coordinator, phantom, 3);

        var response = await StartAsync(coordinator, studyId, new NewT2FitBatch(T2FitMethod.LogLinear, ExcludeFirstEcho: true));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var started = (await response.Content.ReadFromJsonAsync<T2FitBatchView>(PortalJson.Options))!;
        Assert.Equal(3, started.Subjects);
        var settled = await SettledAsync(coordinator, studyId, started.Id);

        Assert.Equal((3, 0), (settled.Done, settled.Failures.Count));
        var maps = await FittedMapsAsync(studyId);
        Assert.Equal(3, maps.Select(m => m.SubjectId).Distinct().Count());
        Assert.Equal(3, maps.Count);
        Assert.All(maps, m => Assert.Contains("first echo excluded", m.KindRule));
        Assert.All(maps, m => Assert.Equal(3, m.ImageCount));
        // Each fitted from its own subject's MESE: the map sits on the MESE's subject with the MESE's series number in its rule.
        await using (var db = portal.NewDbContext())
        {
            var mese = await db.Series.AsNoTracking().Where(s => s.StudyId == studyId && s.Kind == SeriesKind.Mese).ToDictionaryAsync(s => s.SubjectId);
            Assert.Equal(mese.Keys.Order(), maps.Select(m => m.SubjectId).Order());
            Assert.All(maps, m => Assert.Contains($"fitted from MESE series {mese[m.SubjectId].SeriesNumber} ", m.KindRule));
        }

        // A job Hangfire runs again (a retry, a restart) finds the map and adds nothing.
        using (var scope = portal.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<T2FitWorker>().FitAsync(started.Id, maps[0].SubjectId, CancellationToken.None);
        }
        Assert.Equal(3, (await FittedMapsAsync(studyId)).Count);

        // Every subject now has a real map: a second batch of "only those without" has nothing to do, and says so.
        var again = await StartAsync(coordinator, studyId, new NewT2FitBatch());
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains("already has a real T2 map", await again.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ASubjectThatCannotBeFitted_IsListedWithTheReason_AndTheOthersAreFitted()
    {
        var coordinator = await portal.NewClient().SignedInAsAsync(DemoUsers.Coordinator);
        var studyId = await SynthesisTests.StudyWithPhantomAsync(coordinator, phantom, 2);
        var started = (await (await StartAsync(coordinator, studyId, new NewT2FitBatch())).Content.ReadFromJsonAsync<T2FitBatchView>(PortalJson.Options))!;
        await SettledAsync(coordinator, studyId, started.Id);
        // One subject's map and MESE series are removed (deleted by mistake, say) and its job runs again.
        Guid lost;
        await using (var db = portal.NewDbContext())
        {
            var map = await db.Series.FirstAsync(s => s.StudyId == studyId && s.Kind == SeriesKind.T2Map && s.Origin == MapOrigin.Real);
            lost = map.SubjectId;
            db.Series.RemoveRange(db.Series.Where(s => s.SubjectId == lost && (s.Id == map.Id || s.Kind == SeriesKind.Mese)));
            await db.SaveChangesAsync();
        }
        using (var scope = portal.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<T2FitWorker>().FitAsync(started.Id, lost, CancellationToken.None);
        }

        var batch = await BatchAsync(coordinator, studyId, started.Id);
        Assert.True(batch.Settled);
        Assert.Equal(1, batch.Done);
        var failure = Assert.Single(batch.Failures);
        Assert.Equal(lost, failure.SubjectId);
        Assert.Contains("no MESE series", failure.Error);
        Assert.False(string.IsNullOrEmpty(failure.Subject));
    }

    [Fact]
    public async Task AStudyWithoutMese_IsRefusedByName_AndReadersCannotStartOrSeeBatches()
    {
        var coordinator = await portal.NewClient().SignedInAsAsync(DemoUsers.Coordinator);
        var created = await coordinator.Http.PostAsJsonAsync("/api/studies", new Web.Features.Studies.NewStudy($"No MESE {Guid.NewGuid():N}", ""));
        var empty = (await created.Content.ReadFromJsonAsync<Web.Features.Studies.StudySummary>(PortalJson.Options))!.Id;

        var refused = await StartAsync(coordinator, empty, new NewT2FitBatch());

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("MESE", await refused.Content.ReadAsStringAsync());
        var reader = await portal.NewClient().SignedInAsAsync(DemoUsers.Reader1);
        Assert.Equal(HttpStatusCode.Forbidden, (await StartAsync(reader, empty, new NewT2FitBatch())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.Http.GetAsync($"/api/studies/{empty}/t2-fit-batches")).StatusCode);
        await using var db = portal.NewDbContext();
        Assert.Equal(0, await db.T2FitBatches.CountAsync(b => b.StudyId == empty));
    }

    public void Dispose()
    {
        Directory.Delete(phantom, recursive: true);
        GC.SuppressFinalize(this);
    }
}

public sealed class T2FitBatchesOnSqlite(SqlitePortal portal) : T2FitBatchTests(portal), IClassFixture<SqlitePortal>;

public sealed class T2FitBatchesOnPostgres(PostgresPortal portal) : T2FitBatchTests(portal), IClassFixture<PostgresPortal>;
