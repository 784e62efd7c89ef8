using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ReaderStudy.Core.Reading;
using ReaderStudy.Web.Features.Reading;
using ReaderStudy.Web.Features.Studies;

namespace ReaderStudy.IntegrationTests;

/// <summary>Single-image reading with repeated cases after a washout, on each database engine.</summary>
public abstract class ReadingModesTests(PortalFactory portal)
{
    [Fact]
    public async Task SingleImageReading_WithRepeats_DrawsEveryImageOnceThenTheRepeats_AndScoresRealOrSynthetic()
    {
        using var coordinator = await portal.NewClient().SignedInAsAsync(DemoUsers.Coordinator);
        var created = await coordinator.Http.PostAsJsonAsync("/api/studies", new NewStudy($"Single {Guid.NewGuid():N}", ""));
        var study = (await created.Content.ReadFromJsonAsync<StudySummary>(PortalJson.Options))!;
        await coordinator.Http.PostAsJsonAsync($"/api/studies/{study.Id}/members", new NewStudyMember(DemoUsers.Statistician, "Statistician"));
        await ReadableStudy.PrepareAsync(portal, study.Id);
        await ReadableStudy.AddCaseAsync(portal, study.Id, 2);
        var settings = await coordinator.Http.PutAsJsonAsync($"/api/studies/{study.Id}/reading/settings",
            new ReadingSettingsChange(ReadingMode.SingleRealOrSynthetic, false, 0, 100, 1), PortalJson.Options);
        Assert.Equal(HttpStatusCode.NoContent, settings.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await coordinator.Http.PostAsJsonAsync($"/api/studies/{study.Id}/state", new StudyStateChange(Core.Studies.StudyState.Open))).StatusCode);

        using var reader = await portal.NewClient().SignedInAsAsync(DemoUsers.Reader2);
        var session = (await reader.Http.GetFromJsonAsync<ReaderSession>($"/api/reading/studies/{study.Id}/session", PortalJson.Options))!;
        Assert.Equal(5, session.Trials.Count);
        await using (var db = portal.NewDbContext())
        {
            var trials = await db.Trials.Where(t => t.StudyId == study.Id).OrderBy(t => t.Position).ToListAsync();
            Assert.Equal([false, false, false, false, true], trials.Select(t => t.IsRepeat));
            Assert.Equal(2, trials.Take(4).Count(t => t.RealOnLeft));
            Assert.Equal(2, trials.Take(4).Select(t => t.CaseId).Distinct().Count());
            Assert.True(trials[4].RealOnLeft);
            var question = session.Questions.Single();
            foreach (var trial in trials)
            {
                // This reader always says "real": right on the real images, wrong on the synthetic ones.
                Assert.Equal(HttpStatusCode.NoContent, (await reader.Http.PutAsJsonAsync($"/api/reading/trials/{trial.Id}/answers", new AnswerInput(question.Id, "", "real"))).StatusCode);
                Assert.Equal(HttpStatusCode.OK, (await reader.Http.PostAsync($"/api/reading/trials/{trial.Id}/submit", null)).StatusCode);
            }
        }
        Assert.Equal(HttpStatusCode.NoContent, (await coordinator.Http.PostAsJsonAsync($"/api/studies/{study.Id}/state", new StudyStateChange(Core.Studies.StudyState.Closed))).StatusCode);

        using var statistician = await portal.NewClient().SignedInAsAsync(DemoUsers.Statistician);
        var results = JsonDocument.Parse(await statistician.Http.GetStringAsync($"/api/studies/{study.Id}/results/full")).RootElement;
        var pooled = results.GetProperty("accuracy").EnumerateArray().Last().GetProperty("accuracy");
        Assert.Equal((2, 4), (pooled.GetProperty("successes").GetInt32(), pooled.GetProperty("n").GetInt32()));
        var intra = results.GetProperty("intraReader").EnumerateArray().Single();
        Assert.Equal((1, 1.0), (intra.GetProperty("repeatedCases").GetInt32(), intra.GetProperty("agreement").GetDouble()));
    }
}

public sealed class ReadingModesOnSqlite(SqlitePortal portal) : ReadingModesTests(portal), IClassFixture<SqlitePortal>;

public sealed class ReadingModesOnPostgres(PostgresPortal portal) : ReadingModesTests(portal), IClassFixture<PostgresPortal>;
