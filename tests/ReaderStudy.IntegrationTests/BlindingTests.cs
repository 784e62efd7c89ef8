using System.Net;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ReaderStudy.Core.Reading;
using ReaderStudy.Core.Reading.Presentation;
using ReaderStudy.Core.Studies;
using ReaderStudy.Web.Features.Reading;
using ReaderStudy.Web.Features.Studies;

namespace ReaderStudy.IntegrationTests;

/// <summary>Blinding as a determined reader would test it: through HTTP, byte by byte, header by header.</summary>
public abstract class BlindingTests(PortalFactory portal)
{
    private async Task<Guid> DemoStudyAsync()
    {
        await using var db = portal.NewDbContext();
        return await db.Studies.Where(s => s.Name == "Knee T2 phantom demo").Select(s => s.Id).SingleAsync();
    }

    [Fact]
    public async Task SegmentationOutlines_WhereTheStudyShowsThem_AreTheSameBytesForBothImages_AndTheSubjectsSegmentationOnTheRealGrid()
    {
        var studyId = await DemoStudyAsync();
        await SetOutlinesAsync(studyId, true);
        try
        {
            using var reader = await portal.NewClient().SignedInAsAsync(DemoUsers.Reader1);
            var session = (await reader.Http.GetFromJsonAsync<ReaderSession>($"/api/reading/studies/{studyId}/session", PortalJson.Options))!;
            var trial = (await reader.Http.GetFromJsonAsync<ReaderTrial>($"/api/reading/trials/{session.Trials[0].TrialId}", PortalJson.Options))!;
            var (left, right) = (await GetAsync(reader, trial.LeftImage), await GetAsync(reader, trial.RightImage));
            Assert.Equal(Masked(left.Body, trial.LeftImage), Masked(right.Body, trial.RightImage));
            var description = System.Text.Json.JsonDocument.Parse(left.Body).RootElement;
            var template = description.GetProperty("outlineUrlTemplate").GetString()!;
            var rightTemplate = System.Text.Json.JsonDocument.Parse(right.Body).RootElement.GetProperty("outlineUrlTemplate").GetString()!;
            var (rows, columns, slices) = (description.GetProperty("rows").GetInt32(), description.GetProperty("columns").GetInt32(), description.GetProperty("slices").GetInt32());
            await using var db = portal.NewDbContext();
            var realSeries = await db.Trials.Where(t => t.Id == trial.TrialId).Join(db.Cases, t => t.CaseId, c => c.Id, (t, c) => c.RealSeriesId).SingleAsync();
            using var coordinator = await portal.NewClient().SignedInAsAsync(DemoUsers.Coordinator);

            var placements = portal.Services.GetRequiredService<ReaderStudy.Web.Features.Viewing.OutlinePlacements>();
            var placedBefore = placements.Placed;
            var outlined = 0;
            for (var s = 0; s < slices; s++)
            {
                var fromLeft = await reader.Http.GetByteArrayAsync(template.Replace("{index}", $"{s}"));
                var fromRight = await reader.Http.GetByteArrayAsync(rightTemplate.Replace("{index}", $"{s}"));
                Assert.Equal(rows * columns, fromLeft.Length);
                Assert.Equal(fromLeft, fromRight);
                // The coordinator's view of the real map outlines the same voxels.
                Assert.Equal(fromLeft, await coordinator.Http.GetByteArrayAsync($"/api/studies/{studyId}/series/{realSeries}/outline/{s}"));
                outlined += fromLeft.Count(b => b != 0);
            }
            Assert.True(outlined > 100, $"{outlined} voxels of segmentation over {slices} slices");
            // The segmentation was placed on the real map's grid once for all 3 × slices requests, not once per slice.
            Assert.InRange(placements.Placed - placedBefore, 0, 1);

            // Another reader's token gives nothing; so does a study that does not show outlines.
            using var other = await portal.NewClient().SignedInAsAsync(DemoUsers.Reader2);
            Assert.Equal(HttpStatusCode.NotFound, (await other.Http.GetAsync(template.Replace("{index}", "0"))).StatusCode);
            await SetOutlinesAsync(studyId, false);
            Assert.Equal(HttpStatusCode.NotFound, (await reader.Http.GetAsync(template.Replace("{index}", "0"))).StatusCode);
            Assert.DoesNotContain("outline", (await GetAsync(reader, trial.LeftImage)).Body, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            await SetOutlinesAsync(studyId, false);
        }
    }

    [Fact]
    public async Task OutlinesAndTheContextPane_AreACoordinatorsReadingSettings_StoredWithTheOthers()
    {
        using var coordinator = await portal.NewClient().SignedInAsAsync(DemoUsers.Coordinator);
        var created = await coordinator.Http.PostAsJsonAsync("/api/studies", new NewStudy($"Outlined {Guid.NewGuid():N}", ""));
        var studyId = (await created.Content.ReadFromJsonAsync<StudySummary>(PortalJson.Options))!.Id;
        var current = (await coordinator.Http.GetFromJsonAsync<ReadingSettingsChange>($"/api/studies/{studyId}/reading/settings", PortalJson.Options))!;
        Assert.False(current.OutlineSegmentation);

        var put = await coordinator.Http.PutAsJsonAsync($"/api/studies/{studyId}/reading/settings", current with { OutlineSegmentation = true, ContextSeries = " SAG DESS " }, PortalJson.Options);
        using var reader = await portal.NewClient().SignedInAsAsync(DemoUsers.Reader1);
        var byReader = await reader.Http.PutAsJsonAsync($"/api/studies/{studyId}/reading/settings", current, PortalJson.Options);

        Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byReader.StatusCode);
        var stored = (await coordinator.Http.GetFromJsonAsync<ReadingSettingsChange>($"/api/studies/{studyId}/reading/settings", PortalJson.Options))!;
        Assert.Equal((true, "SAG DESS"), (stored.OutlineSegmentation, stored.ContextSeries));
    }

    [Fact]
    public async Task TheContextPane_IsTheSubjectsNamedAnatomicSeriesAsStored_OneForBothImages_AndOnlyTheReadersOwn()
    {
        var studyId = await DemoStudyAsync();
        await SetContextAsync(studyId, "SAG DESS");
        try
        {
            using var reader = await portal.NewClient().SignedInAsAsync(DemoUsers.Reader1);
            var session = (await reader.Http.GetFromJsonAsync<ReaderSession>($"/api/reading/studies/{studyId}/session", PortalJson.Options))!;
            var trial = (await reader.Http.GetFromJsonAsync<ReaderTrial>($"/api/reading/trials/{session.Trials[0].TrialId}", PortalJson.Options))!;
            Assert.Equal($"/api/reading/trials/{trial.TrialId}/context/volume", trial.ContextImage);
            Assert.Equal("SAG DESS", trial.ContextTitle);
            await using var db = portal.NewDbContext();
            var subject = await db.Trials.Where(t => t.Id == trial.TrialId).Join(db.Cases, t => t.CaseId, c => c.Id, (t, c) => c.SubjectId).SingleAsync();
            var dess = await db.Series.SingleAsync(s => s.SubjectId == subject && s.Description == "SAG DESS");
            using var coordinator = await portal.NewClient().SignedInAsAsync(DemoUsers.Coordinator);

            var volume = System.Text.Json.JsonDocument.Parse(await reader.Http.GetStringAsync(trial.ContextImage)).RootElement;
            Assert.Equal(dess.ImageCount, volume.GetProperty("slices").GetInt32());
            Assert.DoesNotContain("SAG DESS", volume.GetRawText());
            for (var slice = 0; slice < dess.ImageCount; slice++)
            {
                // As stored: the same values the coordinator's viewer gets for that series.
                Assert.Equal(await coordinator.Http.GetByteArrayAsync($"/api/studies/{studyId}/series/{dess.Id}/slices/{slice}"),
                    await reader.Http.GetByteArrayAsync(trial.ContextImage.Replace("/volume", $"/slices/{slice}")));
            }
            using var other = await portal.NewClient().SignedInAsAsync(DemoUsers.Reader2);
            Assert.Equal(HttpStatusCode.NotFound, (await other.Http.GetAsync(trial.ContextImage)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await other.Http.GetAsync(trial.ContextImage.Replace("/volume", "/slices/0"))).StatusCode);

            // A series the subject does not have, or none named: no context pane, and its address gives nothing.
            await SetContextAsync(studyId, "SAG PD FS");
            Assert.Null((await reader.Http.GetFromJsonAsync<ReaderTrial>($"/api/reading/trials/{trial.TrialId}", PortalJson.Options))!.ContextImage);
            Assert.Equal(HttpStatusCode.NotFound, (await reader.Http.GetAsync(trial.ContextImage)).StatusCode);
        }
        finally
        {
            await SetContextAsync(studyId, "");
        }
    }

    private async Task SetContextAsync(Guid studyId, string series)
    {
        await using var db = portal.NewDbContext();
        (await db.Studies.SingleAsync(s => s.Id == studyId)).ContextSeries = series;
        await db.SaveChangesAsync();
    }

    // The demo study is open, when its reading settings no longer change through the API: set as a coordinator would have before opening.
    private async Task SetOutlinesAsync(Guid studyId, bool shown)
    {
        await using var db = portal.NewDbContext();
        var study = await db.Studies.SingleAsync(s => s.Id == studyId);
        study.OutlineSegmentation = shown;
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task ReaderReceives_BothMapsOfEveryDemoPair_OnOneRangeStepAndBackground_AsTheCheckSeesThem()
    {
        var studyId = await DemoStudyAsync();
        using var reader = await portal.NewClient().SignedInAsAsync(DemoUsers.Reader1);
        var session = (await reader.Http.GetFromJsonAsync<ReaderSession>($"/api/reading/studies/{studyId}/session", PortalJson.Options))!;
        using var scope = portal.Services.CreateScope();
        var images = scope.ServiceProvider.GetRequiredService<ReadingImages>();
        await using var db = portal.NewDbContext();
        var study = await db.Studies.SingleAsync(s => s.Id == studyId);

        foreach (var summary in session.Trials)
        {
            var trial = (await reader.Http.GetFromJsonAsync<ReaderTrial>($"/api/reading/trials/{summary.TrialId}", PortalJson.Options))!;
            var (left, right) = (await GetAsync(reader, trial.LeftImage), await GetAsync(reader, trial.RightImage));
            Assert.Equal(Masked(left.Body, trial.LeftImage), Masked(right.Body, trial.RightImage));
            Assert.Equal(left.Headers, right.Headers);
            Assert.Contains("Cache-Control: no-store, private", left.Headers);
            var slices = System.Text.Json.JsonDocument.Parse(left.Body).RootElement.GetProperty("slices").GetInt32();

            var stored = await db.Trials.Where(t => t.Id == trial.TrialId).Join(db.Cases, t => t.CaseId, c => c.Id, (t, c) => new { t.RealOnLeft, Case = c }).SingleAsync();
            var (real, synthetic) = await images.ServeCaseAsync(study, stored.Case, 32, CancellationToken.None);
            for (var s = 0; s < slices; s++)
            {
                var l = await reader.Http.GetByteArrayAsync(trial.LeftImage.Replace("/volume", $"/slices/{s}"));
                var r = await reader.Http.GetByteArrayAsync(trial.RightImage.Replace("/volume", $"/slices/{s}"));
                var (lv, rv) = (MemoryMarshal.Cast<byte, float>(l).ToArray(), MemoryMarshal.Cast<byte, float>(r).ToArray());
                Assert.Equal(l.Length, r.Length);
                Assert.All(lv.Concat(rv), v => Assert.True(v == 0 || (v >= 0.1f && v <= 100 && Math.Abs(v * 10 - Math.Round(v * 10)) < 1e-3), $"{v} ms was sent"));
                Assert.Equal(lv.Select(v => v == 0), rv.Select(v => v == 0));
                // What the blinding check measures is byte for byte what the reader's browser got.
                Assert.Equal(stored.RealOnLeft ? real.Slices[s] : synthetic.Slices[s], l);
                Assert.Equal(stored.RealOnLeft ? synthetic.Slices[s] : real.Slices[s], r);
            }
        }
    }

    [Fact]
    public async Task StudyServedAsStored_FailsTheCheck_StaysADraft_AndOpensOnlyWithAWrittenReason()
    {
        using var coordinator = await portal.NewClient().SignedInAsAsync(DemoUsers.Coordinator);
        var created = await coordinator.Http.PostAsJsonAsync("/api/studies", new NewStudy($"Leaky {Guid.NewGuid():N}", ""));
        var studyId = (await created.Content.ReadFromJsonAsync<StudySummary>(PortalJson.Options))!.Id;
        await ReadableStudy.PrepareAsync(portal, studyId);
        for (var n = 2; n <= 12; n++)
        {
            var (real, synthetic) = MapCases.FittedAndGenerated(n);
            await MapCases.AddAsync(portal, studyId, n, real, synthetic, size: 16, slices: 2);
        }
        var asStored = new ReadingSettingsChange(ReadingMode.PairedWhichIsReal, false, 0, 1000, 0, PresentationStep: 0, PresentationMask: PresentationMask.None);
        Assert.Equal(HttpStatusCode.NoContent, (await coordinator.Http.PutAsJsonAsync($"/api/studies/{studyId}/reading/settings", asStored, PortalJson.Options)).StatusCode);

        var leaky = (await coordinator.Http.GetFromJsonAsync<BlindingReport>($"/api/studies/{studyId}/reading/blinding-check", PortalJson.Options))!;
        var refused = await coordinator.Http.PostAsJsonAsync($"/api/studies/{studyId}/state", new StudyStateChange(StudyState.Open));
        var tooShort = await coordinator.Http.PostAsJsonAsync($"/api/studies/{studyId}/state", new StudyStateChange(StudyState.Open, "because"));

        Assert.False(leaky.Passed);
        Assert.True(leaky.Planned);
        Assert.Contains(leaky.Detector.Features, f => f.Feature == "largest value" && f.Leak);
        Assert.Contains(leaky.Leaks, l => l.Contains("background (0) voxels differ", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("blinding check found", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, tooShort.StatusCode);
        await using (var db = portal.NewDbContext())
        {
            Assert.Equal(StudyState.Draft, (await db.Studies.SingleAsync(s => s.Id == studyId)).State);
            Assert.False(await db.Trials.AnyAsync(t => t.StudyId == studyId));
        }

        // The same maps through the one presentation pipeline: nothing tells them apart.
        await coordinator.Http.PutAsJsonAsync($"/api/studies/{studyId}/reading/settings", asStored with { DisplayMax = 100, PresentationStep = 0.1, PresentationMask = PresentationMask.CommonSupport }, PortalJson.Options);
        var harmonized = (await coordinator.Http.GetFromJsonAsync<BlindingReport>($"/api/studies/{studyId}/reading/blinding-check", PortalJson.Options))!;
        Assert.True(harmonized.Passed, string.Join("; ", harmonized.Leaks));
        Assert.Equal(12, harmonized.CasesChecked);

        await coordinator.Http.PutAsJsonAsync($"/api/studies/{studyId}/reading/settings", asStored, PortalJson.Options);
        const string reason = "Pilot of the viewer only; these answers will not be analysed.";
        Assert.Equal(HttpStatusCode.NoContent, (await coordinator.Http.PostAsJsonAsync($"/api/studies/{studyId}/state", new StudyStateChange(StudyState.Open, reason))).StatusCode);
        await using (var db = portal.NewDbContext())
        {
            var study = await db.Studies.SingleAsync(s => s.Id == studyId);
            Assert.Equal((StudyState.Open, reason), (study.State, study.BlindingOverrideReason));
            Assert.StartsWith("found ", study.BlindingVerdict);
            var audit = await db.AuditLog.SingleAsync(e => e.StudyId == studyId && e.Action == "blinding.override");
            Assert.StartsWith(reason, audit.Details);
            Assert.Equal(DemoUsers.Coordinator, audit.UserName);
        }
    }

    [Fact]
    public async Task ClosedStudy_RefusesImagesViewerEventsExtraTimeAndUploads()
    {
        using var coordinator = await portal.NewClient().SignedInAsAsync(DemoUsers.Coordinator);
        var created = await coordinator.Http.PostAsJsonAsync("/api/studies", new NewStudy($"Closing {Guid.NewGuid():N}", ""));
        var studyId = (await created.Content.ReadFromJsonAsync<StudySummary>(PortalJson.Options))!.Id;
        await ReadableStudy.PrepareAsync(portal, studyId);
        Assert.Equal(HttpStatusCode.NoContent, (await coordinator.Http.PostAsJsonAsync($"/api/studies/{studyId}/state", new StudyStateChange(StudyState.Open))).StatusCode);
        using var reader = await portal.NewClient().SignedInAsAsync(DemoUsers.Reader2);
        var session = (await reader.Http.GetFromJsonAsync<ReaderSession>($"/api/reading/studies/{studyId}/session", PortalJson.Options))!;
        var trialId = session.Trials.Single().TrialId;
        var trial = (await reader.Http.GetFromJsonAsync<ReaderTrial>($"/api/reading/trials/{trialId}", PortalJson.Options))!;
        Assert.Equal(HttpStatusCode.OK, (await reader.Http.GetAsync(trial.LeftImage)).StatusCode);
        await reader.Http.PutAsJsonAsync($"/api/reading/trials/{trialId}/answers", new AnswerInput(session.Questions[0].Id, "", "left"));
        Assert.Equal(HttpStatusCode.OK, (await reader.Http.PostAsync($"/api/reading/trials/{trialId}/submit?seconds=5", null)).StatusCode);

        var second = await reader.Http.PostAsync($"/api/reading/trials/{trialId}/submit?seconds=100", null);
        await coordinator.Http.PostAsJsonAsync($"/api/studies/{studyId}/state", new StudyStateChange(StudyState.Closed));
        var volume = await reader.Http.GetAsync(trial.LeftImage);
        var slice = await reader.Http.GetAsync(trial.RightImage.Replace("/volume", "/slices/0"));
        var events = await reader.Http.PostAsJsonAsync($"/api/reading/trials/{trialId}/events", new[] { new ViewerEventInput("scroll", "slice 1") });
        using var upload = new MultipartFormDataContent { { new ByteArrayContent(File.ReadAllBytes(SharedFolder.Path("dicom-samples", "MR_small.dcm"))), "files", "MR_small.dcm" } };
        var import = await coordinator.Http.PostAsync($"/api/studies/{studyId}/import", upload);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound), (volume.StatusCode, slice.StatusCode, events.StatusCode));
        Assert.Equal(HttpStatusCode.BadRequest, import.StatusCode);
        Assert.Contains("closed", await import.Content.ReadAsStringAsync());
        await using var db = portal.NewDbContext();
        Assert.Equal(5, (await db.Trials.SingleAsync(t => t.Id == trialId)).SecondsSpent);
        Assert.False(await db.Series.AnyAsync(s => s.StudyId == studyId && s.Modality == "MR" && s.Kind != Core.Series.SeriesKind.T2Map));
    }

    [Fact]
    public async Task Audit_KeepsAnswersUnderTheirRealIdWithTrialAndQuestion_KeyReads_AndEveryRefusal()
    {
        using var coordinator = await portal.NewClient().SignedInAsAsync(DemoUsers.Coordinator);
        var created = await coordinator.Http.PostAsJsonAsync("/api/studies", new NewStudy($"Audited {Guid.NewGuid():N}", ""));
        var studyId = (await created.Content.ReadFromJsonAsync<StudySummary>(PortalJson.Options))!.Id;
        await coordinator.Http.PostAsJsonAsync($"/api/studies/{studyId}/members", new NewStudyMember(DemoUsers.Statistician, "Statistician"));
        await ReadableStudy.PrepareAsync(portal, studyId);
        await coordinator.Http.PostAsJsonAsync($"/api/studies/{studyId}/state", new StudyStateChange(StudyState.Open));
        using var reader = await portal.NewClient().SignedInAsAsync(DemoUsers.Reader2);
        var session = (await reader.Http.GetFromJsonAsync<ReaderSession>($"/api/reading/studies/{studyId}/session", PortalJson.Options))!;
        var trialId = session.Trials.Single().TrialId;
        var question = session.Questions[0].Id;

        await reader.Http.PutAsJsonAsync($"/api/reading/trials/{trialId}/answers", new AnswerInput(question, "", "left"));
        var peek = await reader.Http.GetAsync($"/api/studies/{studyId}/reading/key");
        await coordinator.Http.PostAsJsonAsync($"/api/studies/{studyId}/state", new StudyStateChange(StudyState.Closed));
        using var statistician = await portal.NewClient().SignedInAsAsync(DemoUsers.Statistician);
        Assert.Equal(HttpStatusCode.OK, (await statistician.Http.GetAsync($"/api/studies/{studyId}/reading/key")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await statistician.Http.GetAsync($"/api/studies/{studyId}/exports/answers.csv")).StatusCode);

        Assert.Equal(HttpStatusCode.Forbidden, peek.StatusCode);
        await using var db = portal.NewDbContext();
        var answer = await db.Answers.SingleAsync(a => a.TrialId == trialId);
        var log = await db.AuditLog.Where(e => e.StudyId == studyId).ToListAsync();
        var added = Assert.Single(log, e => e.Action == "Answer.added");
        Assert.Equal(answer.Id.ToString(), added.EntityKey);
        Assert.Equal($"trial {trialId}, question {question}", added.Details);
        var denied = Assert.Single(log, e => e.Action == "access.denied");
        Assert.Equal((DemoUsers.Reader2, $"GET /api/studies/{studyId}/reading/key"), (denied.UserName, denied.Details));
        Assert.Equal(DemoUsers.Statistician, Assert.Single(log, e => e.Action == "reading.key-read").UserName);
        Assert.Contains(log, e => e.Action == "results.read" && e.UserName == DemoUsers.Statistician);
    }

    private static string Masked(string json, string url) => json.Replace(url.Split('/')[4], "TOKEN", StringComparison.Ordinal);

    private static async Task<(string Body, string Headers)> GetAsync(PortalClient client, string url)
    {
        using var response = await client.Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var headers = response.Headers.Concat(response.Content.Headers).Where(h => h.Key is not ("Date" or "Content-Length"))
            .OrderBy(h => h.Key).Select(h => $"{h.Key}: {string.Join(",", h.Value)}");
        return (await response.Content.ReadAsStringAsync(), string.Join("\n", headers));
    }
}

public sealed class BlindingOnSqlite(SqlitePortal portal) : BlindingTests(portal), IClassFixture<SqlitePortal>;

public sealed class BlindingOnPostgres(PostgresPortal portal) : BlindingTests(portal), IClassFixture<PostgresPortal>;
