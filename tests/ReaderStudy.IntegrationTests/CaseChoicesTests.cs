using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ReaderStudy.Core.Phantom;
using ReaderStudy.Core.Series;
using ReaderStudy.Core.Studies;
using ReaderStudy.Imaging.Phantom;
using ReaderStudy.Web.Features.Reading;
using ReaderStudy.Web.Features.Studies;

namespace ReaderStudy.IntegrationTests;

/// <summary>
/// Before opening, the coordinator leaves a subject out (with a reason) or picks which of a subject's real maps its
/// case pairs; building the cases again keeps both; what does not belong is refused by name; nothing changes once open.
/// </summary>
public abstract class CaseChoicesTests(PortalFactory portal) : IDisposable
{
    private readonly string phantom = Directory.CreateTempSubdirectory("readerstudy-case-choices-").FullName;

    [Fact]
    public async Task Coordinator_ExcludesASubjectAndPicksARealMap_CasesFollow_AndRebuildingKeepsThem()
    {
        using var coordinator = await portal.NewClient().SignedInAsAsync(DemoUsers.Coordinator);
        var studyId = await coordinator.CreateStudyAsync($"Case choices {Guid.NewGuid():N}"[..24]);
        PhantomGenerator.Generate(phantom, 2, new KneePhantomOptions { Size = 48, Slices = 3, Seed = 3 });
        await coordinator.ImportFilesAsync(studyId, Directory.GetFiles(phantom, "*.dcm", SearchOption.AllDirectories));
        // Each subject: its imported map as the synthetic one, and two real maps (an older and a newer fit).
        Dictionary<string, (Guid Older, Guid Newer, Guid Synthetic)> maps = [];
        await using (var db = portal.NewDbContext())
        {
            foreach (var map in await db.Series.AsNoTracking().Include(s => s.Images).Where(s => s.StudyId == studyId && s.Kind == SeriesKind.T2Map).ToListAsync())
            {
                var pseudonym = await db.Subjects.Where(s => s.Id == map.SubjectId).Select(s => s.Pseudonym).SingleAsync();
                Assert.Equal(HttpStatusCode.NoContent, (await coordinator.Http.PutAsJsonAsync($"/api/studies/{studyId}/series/{map.Id}/origin", new ReadingApi.OriginChange(MapOrigin.Synthetic), PortalJson.Options)).StatusCode);
                maps[pseudonym] = (Copy(db, map, "fit A", TimeSpan.FromHours(-2)), Copy(db, map, "fit B", TimeSpan.FromHours(-1)), map.Id);
            }
            await db.SaveChangesAsync();
        }
        var (s1, s2) = (maps["S-0001"], maps["S-0002"]);
        var subjects = await SubjectsAsync(coordinator, studyId);

        var built = await BuildAsync(coordinator, studyId);
        Assert.Equal(2, built.GetProperty("cases").GetInt32());
        Assert.Equal([s1.Newer, s2.Newer], await CaseRealMapsAsync(studyId));

        var chosen = await ChooseAsync(coordinator, studyId, subjects["S-0001"], new CaseChoice(false, null, s1.Older, null));
        Assert.Equal(HttpStatusCode.OK, chosen.StatusCode);
        Assert.Equal([s1.Older, s2.Newer], await CaseRealMapsAsync(studyId));

        var excluded = await ChooseAsync(coordinator, studyId, subjects["S-0002"], new CaseChoice(true, "motion artefact", null, null));
        var afterExclusion = JsonDocument.Parse(await excluded.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(1, afterExclusion.GetProperty("cases").GetInt32());
        Assert.Contains(afterExclusion.GetProperty("skipped").EnumerateArray(), s => s.GetString() == "S-0002: excluded by the coordinator (motion artefact).");
        Assert.Equal([s1.Older], await CaseRealMapsAsync(studyId));

        // Building again from the page's button keeps both decisions.
        Assert.Equal(1, (await BuildAsync(coordinator, studyId)).GetProperty("cases").GetInt32());
        Assert.Equal([s1.Older], await CaseRealMapsAsync(studyId));
        var listed = (await coordinator.Http.GetFromJsonAsync<List<SubjectCase>>($"/api/studies/{studyId}/reading/cases/subjects", PortalJson.Options))!;
        Assert.Equal("motion artefact", listed.Single(s => s.Subject == "S-0002").ExcludedReason);
        Assert.Equal(s1.Older, listed.Single(s => s.Subject == "S-0001").ChosenRealSeriesId);
        Assert.Equal(3, listed.Single(s => s.Subject == "S-0001").Options.Count);

        // Refused by name: another subject's map, a synthetic map as the real one, an exclusion without a reason.
        await AssertRefusedAsync(await ChooseAsync(coordinator, studyId, subjects["S-0001"], new CaseChoice(false, null, s2.Older, null)), "not one of S-0001's");
        await AssertRefusedAsync(await ChooseAsync(coordinator, studyId, subjects["S-0001"], new CaseChoice(false, null, s1.Synthetic, null)), "is not a real");
        await AssertRefusedAsync(await ChooseAsync(coordinator, studyId, subjects["S-0001"], new CaseChoice(true, " ", null, null)), "needs a reason");
        Assert.Equal([s1.Older], await CaseRealMapsAsync(studyId));
        using (var reader = await portal.NewClient().SignedInAsAsync(DemoUsers.Reader1))
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await ChooseAsync(reader, studyId, subjects["S-0002"], new CaseChoice(false, null, null, null))).StatusCode);
        }

        // Included again, with the newest map as before.
        var included = JsonDocument.Parse(await (await ChooseAsync(coordinator, studyId, subjects["S-0002"], new CaseChoice(false, null, null, null))).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(2, included.GetProperty("cases").GetInt32());
        Assert.Equal([s1.Older, s2.Newer], await CaseRealMapsAsync(studyId));
        await using (var db = portal.NewDbContext())
        {
            Assert.Equal(1, await db.AuditLog.CountAsync(e => e.StudyId == studyId && e.Action == "case.excluded" && e.Details == "S-0002: motion artefact"));
        }

        // Once the study is open the cases are fixed; the results name who was left out and why.
        await ChooseAsync(coordinator, studyId, subjects["S-0002"], new CaseChoice(true, "motion artefact", null, null));
        foreach (var member in new[] { new NewStudyMember(DemoUsers.Reader1, "Reader") })
        {
            (await coordinator.Http.PostAsJsonAsync($"/api/studies/{studyId}/members", member, PortalJson.Options)).EnsureSuccessStatusCode();
        }
        (await coordinator.Http.PostAsync($"/api/studies/{studyId}/reading/questions/default", null)).EnsureSuccessStatusCode();
        var opened = await coordinator.Http.PostAsJsonAsync($"/api/studies/{studyId}/state", new StudyStateChange(StudyState.Open, "phantom maps of one origin in tests"), PortalJson.Options);
        Assert.True(opened.IsSuccessStatusCode, await opened.Content.ReadAsStringAsync());
        await AssertRefusedAsync(await ChooseAsync(coordinator, studyId, subjects["S-0002"], new CaseChoice(false, null, null, null)), "draft");
        Assert.Equal([s1.Older], await CaseRealMapsAsync(studyId));
        (await coordinator.Http.PostAsJsonAsync($"/api/studies/{studyId}/state", new StudyStateChange(StudyState.Closed), PortalJson.Options)).EnsureSuccessStatusCode();
        var results = JsonDocument.Parse(await coordinator.Http.GetStringAsync($"/api/studies/{studyId}/results/full")).RootElement;
        Assert.Contains(results.GetProperty("notes").EnumerateArray(), n => n.GetString()!.Contains("S-0002 (motion artefact)", StringComparison.Ordinal));
    }

    private static Guid Copy(Core.Data.ReaderStudyDbContext db, ImagingSeries map, string description, TimeSpan age)
    {
        var copy = new ImagingSeries
        {
            StudyId = map.StudyId, SubjectId = map.SubjectId, SeriesInstanceUid = $"2.25.{Random.Shared.NextInt64():D}", Modality = map.Modality,
            Description = description, Kind = map.Kind, Rows = map.Rows, Columns = map.Columns, ImageCount = map.ImageCount,
            ImportedAt = DateTimeOffset.UtcNow + age, Origin = MapOrigin.Real,
            Images = [.. map.Images.Select(i => new SeriesImage
            {
                SopInstanceUid = $"2.25.{Random.Shared.NextInt64():D}", ContentHash = i.ContentHash, Bytes = i.Bytes,
                InstanceNumber = i.InstanceNumber, SlicePosition = i.SlicePosition, EchoTimeMs = i.EchoTimeMs,
            })],
        };
        db.Series.Add(copy);
        return copy.Id;
    }

    private async Task<Dictionary<string, Guid>> SubjectsAsync(PortalClient coordinator, Guid studyId) =>
        (await coordinator.Http.GetFromJsonAsync<List<SubjectCase>>($"/api/studies/{studyId}/reading/cases/subjects", PortalJson.Options))!.ToDictionary(s => s.Subject, s => s.SubjectId);

    private static Task<HttpResponseMessage> ChooseAsync(PortalClient client, Guid studyId, Guid subjectId, CaseChoice choice) =>
        client.Http.PutAsJsonAsync($"/api/studies/{studyId}/reading/cases/subjects/{subjectId}", choice, PortalJson.Options);

    private static async Task<JsonElement> BuildAsync(PortalClient coordinator, Guid studyId)
    {
        var response = await coordinator.Http.PostAsync($"/api/studies/{studyId}/reading/cases/build", null);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    private async Task<List<Guid>> CaseRealMapsAsync(Guid studyId)
    {
        await using var db = portal.NewDbContext();
        return await db.Cases.Where(c => c.StudyId == studyId).OrderBy(c => c.Number).Select(c => c.RealSeriesId).ToListAsync();
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, string naming)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{response.StatusCode}: {body}");
        Assert.Contains(naming, body);
    }

    public void Dispose()
    {
        try { Directory.Delete(phantom, recursive: true); } catch (IOException) { }
        GC.SuppressFinalize(this);
    }
}

public sealed class CaseChoicesOnSqlite(SqlitePortal portal) : CaseChoicesTests(portal), IClassFixture<SqlitePortal>;

public sealed class CaseChoicesOnPostgres(PostgresPortal portal) : CaseChoicesTests(portal), IClassFixture<PostgresPortal>;
