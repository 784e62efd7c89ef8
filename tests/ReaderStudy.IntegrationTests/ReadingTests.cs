using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using ReaderStudy.Core.Reading;
using ReaderStudy.Web.Features.Reading;
using ReaderStudy.Web.Features.Studies;

namespace ReaderStudy.IntegrationTests;

/// <summary>The blinded reading API on the demo study (phantom pairs), on each database engine.</summary>
public abstract class ReadingApiTests(PortalFactory portal)
{
    protected async Task<Guid> DemoStudyAsync()
    {
        await using var db = portal.NewDbContext();
        return await db.Studies.Where(s => s.Name == "Knee T2 phantom demo").Select(s => s.Id).SingleAsync();
    }

    private async Task<(PortalClient Reader, ReaderSession Session)> SessionAsync(string reader)
    {
        var client = await portal.NewClient().SignedInAsAsync(reader);
        var session = await client.Http.GetFromJsonAsync<ReaderSession>($"/api/reading/studies/{await DemoStudyAsync()}/session", PortalJson.Options);
        return (client, session!);
    }

    [Fact]
    public async Task Trials_FollowTheRecordedSeed_WithSidesBalancedForEveryReader()
    {
        var studyId = await DemoStudyAsync();
        await using var db = portal.NewDbContext();
        var trials = await db.Trials.Where(t => t.StudyId == studyId).ToListAsync();
        var cases = await db.Cases.Where(c => c.StudyId == studyId).OrderBy(c => c.Number).Select(c => c.Id).ToListAsync();
        var study = await db.Studies.SingleAsync(s => s.Id == studyId);

        Assert.Equal(2, trials.Select(t => t.ReaderId).Distinct().Count());
        foreach (var mine in trials.GroupBy(t => t.ReaderId))
        {
            var seed = Randomization.ReaderSeed(study.RandomSeed, mine.Key);
            var (order, realOnLeft) = Randomization.Draw(seed, cases.Count);
            var ordered = mine.OrderBy(t => t.Position).ToList();
            Assert.All(ordered, t => Assert.Equal(seed, t.Seed));
            Assert.Equal(order.Select(i => cases[i]), ordered.Select(t => t.CaseId));
            Assert.Equal(realOnLeft, ordered.Select(t => t.RealOnLeft));
            Assert.InRange(ordered.Count(t => t.RealOnLeft), cases.Count / 2, (cases.Count + 1) / 2);
        }
    }

    [Fact]
    public async Task Answers_AreSavedAtOnce_AndASubmittedCaseIsLocked()
    {
        var (reader, session) = await SessionAsync(DemoUsers.Reader2);
        var trial = session.Trials[0].TrialId;
        var which = session.Questions.Single(q => q.Kind == QuestionKind.WhichIsReal);

        Assert.Equal(HttpStatusCode.NoContent, (await reader.Http.PutAsJsonAsync($"/api/reading/trials/{trial}/answers", new AnswerInput(which.Id, "", "left"))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await reader.Http.PutAsJsonAsync($"/api/reading/trials/{trial}/answers", new AnswerInput(which.Id, "", "right"))).StatusCode);
        var bad = await reader.Http.PutAsJsonAsync($"/api/reading/trials/{trial}/answers", new AnswerInput(which.Id, "", "middle"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var incomplete = await reader.Http.PostAsync($"/api/reading/trials/{trial}/submit?seconds=12", null);
        Assert.Equal(HttpStatusCode.BadRequest, incomplete.StatusCode);
        Assert.Contains("Please answer", await incomplete.Content.ReadAsStringAsync());

        foreach (var question in session.Questions.Where(q => q.Required && q.Kind != QuestionKind.WhichIsReal))
        {
            foreach (var side in question.PerImage ? new[] { "left", "right" } : [""])
            {
                var value = question.Kind == QuestionKind.YesNo ? "no" : "3";
                Assert.Equal(HttpStatusCode.NoContent, (await reader.Http.PutAsJsonAsync($"/api/reading/trials/{trial}/answers", new AnswerInput(question.Id, side, value))).StatusCode);
            }
        }
        var submitted = await reader.Http.PostAsync($"/api/reading/trials/{trial}/submit?seconds=12", null);
        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
        var locked = await reader.Http.PutAsJsonAsync($"/api/reading/trials/{trial}/answers", new AnswerInput(which.Id, "", "left"));
        Assert.Equal(HttpStatusCode.BadRequest, locked.StatusCode);
        Assert.Contains("locked", await locked.Content.ReadAsStringAsync());

        await using var db = portal.NewDbContext();
        var answer = await db.Answers.SingleAsync(a => a.TrialId == trial && a.QuestionId == which.Id);
        Assert.Equal(("right", 1), (answer.Value, answer.Revisions));
        Assert.Equal(12, (await db.Trials.SingleAsync(t => t.Id == trial)).SecondsSpent, 3);

        // My readings: the reader's own count and time, from their own trials only.
        var readerId = await db.Users.Where(u => u.Email == DemoUsers.Reader2).Select(u => u.Id).SingleAsync();
        using var scope = portal.Services.CreateScope();
        var progress = await scope.ServiceProvider.GetRequiredService<ReadingService>().MyProgressAsync(
            new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity([new(System.Security.Claims.ClaimTypes.NameIdentifier, readerId)], "test")));
        Assert.Equal(new MyProgress(1, session.Trials.Count, 0.2), progress[await DemoStudyAsync()]);
    }

    [Fact]
    public async Task ACase_ReopensAtTheSliceTheReaderLastScrolledTo()
    {
        var (reader, session) = await SessionAsync(DemoUsers.Reader1);
        var trial = session.Trials[^1].TrialId;
        var before = await reader.Http.GetFromJsonAsync<ReaderTrial>($"/api/reading/trials/{trial}", PortalJson.Options);

        ViewerEventInput Slice(int index) => new("slice", $$"""{"kind":"slice","pane":0,"slice":{{index}}}""");
        var logged = await reader.Http.PostAsJsonAsync($"/api/reading/trials/{trial}/events",
            new List<ViewerEventInput> { Slice(3), new("window", """{"kind":"window","pane":0,"lower":0,"upper":80}"""), Slice(1) });
        var after = await reader.Http.GetFromJsonAsync<ReaderTrial>($"/api/reading/trials/{trial}", PortalJson.Options);

        Assert.True(logged.IsSuccessStatusCode, await logged.Content.ReadAsStringAsync());
        Assert.Null(before!.Slice);
        Assert.Equal(1, after!.Slice);
    }

    [Fact]
    public async Task Reader_CannotReachAnotherReadersTrialsImagesOrTheKey()
    {
        var (reader1, session1) = await SessionAsync(DemoUsers.Reader1);
        var (reader2, _) = await SessionAsync(DemoUsers.Reader2);
        var trial = session1.Trials[0].TrialId;
        var own = await reader1.Http.GetFromJsonAsync<ReaderTrial>($"/api/reading/trials/{trial}", PortalJson.Options);
        var question = session1.Questions[0].Id;
        var studyId = await DemoStudyAsync();

        Assert.Equal(HttpStatusCode.OK, (await reader1.Http.GetAsync(own!.LeftImage)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await reader2.Http.GetAsync($"/api/reading/trials/{trial}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await reader2.Http.PutAsJsonAsync($"/api/reading/trials/{trial}/answers", new AnswerInput(question, "", "left"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await reader2.Http.GetAsync(own.LeftImage)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await reader2.Http.GetAsync(own.RightImage.Replace("/volume", "/slices/0", StringComparison.Ordinal))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader1.Http.GetAsync($"/api/studies/{studyId}/reading/key")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader1.Http.GetAsync($"/api/studies/{studyId}/reading/blinding-check")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader1.Http.GetAsync($"/api/studies/{studyId}/reading/progress")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader1.Http.GetAsync($"/api/studies/{studyId}/series")).StatusCode);
        var otherStudy = Guid.NewGuid();
        Assert.Equal(HttpStatusCode.Forbidden, (await reader1.Http.GetAsync($"/api/reading/studies/{otherStudy}/session")).StatusCode);
    }

    [Fact]
    public async Task ImagesOfAPair_AreServedIdentically_ButForTheirPixels()
    {
        var (reader, session) = await SessionAsync(DemoUsers.Reader1);
        var trial = (await reader.Http.GetFromJsonAsync<ReaderTrial>($"/api/reading/trials/{session.Trials[0].TrialId}", PortalJson.Options))!;

        var left = await reader.Http.GetAsync(trial.LeftImage);
        var right = await reader.Http.GetAsync(trial.RightImage);
        var (leftJson, rightJson) = (await left.Content.ReadAsStringAsync(), await right.Content.ReadAsStringAsync());

        Assert.Equal(leftJson.Replace(trial.LeftImage.Split('/')[4], "T", StringComparison.Ordinal), rightJson.Replace(trial.RightImage.Split('/')[4], "T", StringComparison.Ordinal));
        Assert.Equal(left.Content.Headers.ContentType!.ToString(), right.Content.Headers.ContentType!.ToString());
        Assert.Equal(left.Headers.CacheControl!.ToString(), right.Headers.CacheControl!.ToString());
        Assert.DoesNotContain("MESE", leftJson + rightJson);
        Assert.DoesNotContain("truth", leftJson + rightJson, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("2.25.", leftJson + rightJson);
    }

    [Fact]
    public async Task BlindingCheck_OnTheDemoStudy_Passes()
    {
        using var coordinator = await portal.NewClient().SignedInAsAsync(DemoUsers.Coordinator);

        var report = await coordinator.Http.GetFromJsonAsync<BlindingReport>($"/api/studies/{await DemoStudyAsync()}/reading/blinding-check", PortalJson.Options);

        Assert.True(report!.Passed, string.Join("; ", report.Leaks));
        Assert.Empty(report.Detector.Violations);
        Assert.Equal(4, report.TrialsChecked);
        Assert.Equal(2, report.Cases.Count);
        Assert.Contains("clipped to 0-100 ms, rounded to 0.1 ms", report.Presentation);
        var cases = await coordinator.Http.GetFromJsonAsync<List<CaseProgress>>($"/api/studies/{await DemoStudyAsync()}/reading/progress/cases", PortalJson.Options);
        Assert.Equal([1, 2], cases!.Select(c => c.Case));
        Assert.All(cases, c => Assert.Equal(2, c.Readings));
    }

    [Fact]
    public async Task Key_IsSealedUntilTheStudyCloses()
    {
        using var statistician = await portal.NewClient().SignedInAsAsync(DemoUsers.Statistician);
        using var coordinator = await portal.NewClient().SignedInAsAsync(DemoUsers.Coordinator);
        var created = await coordinator.Http.PostAsJsonAsync("/api/studies", new NewStudy($"Key {Guid.NewGuid():N}", ""));
        var study = (await created.Content.ReadFromJsonAsync<StudySummary>(PortalJson.Options))!;
        await coordinator.Http.PostAsJsonAsync($"/api/studies/{study.Id}/members", new NewStudyMember(DemoUsers.Statistician, "Statistician"));
        await ReadableStudy.PrepareAsync(portal, study.Id);
        await coordinator.Http.PostAsJsonAsync($"/api/studies/{study.Id}/state", new StudyStateChange(Core.Studies.StudyState.Open));

        var sealedKey = await statistician.Http.GetAsync($"/api/studies/{study.Id}/reading/key");
        Assert.Equal(HttpStatusCode.BadRequest, sealedKey.StatusCode);
        Assert.Contains("sealed until the study closes", await sealedKey.Content.ReadAsStringAsync());
        await coordinator.Http.PostAsJsonAsync($"/api/studies/{study.Id}/state", new StudyStateChange(Core.Studies.StudyState.Closed));

        var key = await statistician.Http.GetFromJsonAsync<List<TrialKey>>($"/api/studies/{study.Id}/reading/key", PortalJson.Options);
        var entry = Assert.Single(key!);
        Assert.Equal((DemoUsers.Reader2, 1, 1), (entry.Reader, entry.CaseNumber, entry.Position));
    }
}

public sealed class ReadingApiOnSqlite(SqlitePortal portal) : ReadingApiTests(portal), IClassFixture<SqlitePortal>;

public sealed class ReadingApiOnPostgres(PostgresPortal portal) : ReadingApiTests(portal), IClassFixture<PostgresPortal>;

public sealed class LeakyBlindingTests(LeakyPortal portal) : IClassFixture<LeakyPortal>
{
    [Fact]
    public async Task BlindingCheck_WithSeriesDescriptionsPassedThrough_FailsNamingTheDifference()
    {
        using var coordinator = await portal.NewClient().SignedInAsAsync(DemoUsers.Coordinator);
        await using var db = portal.NewDbContext();
        var studyId = await db.Studies.Where(s => s.Name == "Knee T2 phantom demo").Select(s => s.Id).SingleAsync();

        var report = await coordinator.Http.GetFromJsonAsync<BlindingReport>($"/api/studies/{studyId}/reading/blinding-check", PortalJson.Options);

        Assert.False(report!.Passed);
        Assert.Equal(["case 1: the description (JSON, token masked) differ between the two maps", "case 2: the description (JSON, token masked) differ between the two maps"], report.Detector.Violations);
    }
}
