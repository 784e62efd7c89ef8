using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ReaderStudy.Core.Reading;
using ReaderStudy.Core.Statistics;
using ReaderStudy.Core.Statistics.Comparison;
using ReaderStudy.Web.Features.Reading;
using ReaderStudy.Web.Features.Studies;

namespace ReaderStudy.IntegrationTests;

/// <summary>
/// The diagnostic reading mode end to end: reference standard, two blocks with a subject's readings spaced apart,
/// the second block closed until the first is done, and the Obuchowski-Rockette comparison of real and synthetic maps.
/// </summary>
public abstract class DiagnosticReadingTests(PortalFactory portal)
{
    private const int Cases = 6;

    private async Task<(PortalClient Coordinator, Guid Study, List<string> Subjects)> DraftAsync(int washoutDays)
    {
        var coordinator = await portal.NewClient().SignedInAsAsync(DemoUsers.Coordinator);
        var created = await coordinator.Http.PostAsJsonAsync("/api/studies", new NewStudy($"Diagnostic {Guid.NewGuid():N}", ""));
        var study = (await created.Content.ReadFromJsonAsync<StudySummary>(PortalJson.Options))!;
        await coordinator.Http.PostAsJsonAsync($"/api/studies/{study.Id}/members", new NewStudyMember(DemoUsers.Statistician, "Statistician"));
        await coordinator.Http.PostAsJsonAsync($"/api/studies/{study.Id}/members", new NewStudyMember(DemoUsers.Reader1, "Reader"));
        await ReadableStudy.PrepareAsync(portal, study.Id);
        for (var number = 2; number <= Cases; number++)
        {
            await ReadableStudy.AddCaseAsync(portal, study.Id, number);
        }
        var settings = await coordinator.Http.PutAsJsonAsync($"/api/studies/{study.Id}/reading/settings",
            new ReadingSettingsChange(ReadingMode.Diagnostic, false, 0, 100, 0, DiagnosticFinding: "cartilage lesion", DiagnosticSpacing: 3, DiagnosticWashoutDays: washoutDays), PortalJson.Options);
        Assert.Equal(HttpStatusCode.NoContent, settings.StatusCode);
        (await coordinator.Http.PostAsync($"/api/studies/{study.Id}/reading/questions/default", null)).EnsureSuccessStatusCode();
        await using var db = portal.NewDbContext();
        var subjects = await db.Subjects.Where(s => s.StudyId == study.Id).OrderBy(s => s.Pseudonym).Select(s => s.Pseudonym).ToListAsync();
        return (coordinator, study.Id, subjects);
    }

    private static Task<HttpResponseMessage> ReferenceAsync(PortalClient coordinator, Guid study, string csv) =>
        coordinator.Http.PutAsync($"/api/studies/{study}/reading/reference-standard", new StringContent(csv, Encoding.UTF8, "text/csv"));

    private static Task<HttpResponseMessage> OpenAsync(PortalClient coordinator, Guid study) =>
        coordinator.Http.PostAsJsonAsync($"/api/studies/{study}/state", new StudyStateChange(Core.Studies.StudyState.Open));

    [Fact]
    public async Task DiagnosticStudy_ReadTwiceInBlocks_GivesTheReaderAveragedComparisonOfRealAndSyntheticMaps()
    {
        var (coordinator, study, subjects) = await DraftAsync(washoutDays: 0);
        using var _ = coordinator;
        Assert.Equal(Cases, subjects.Count);

        // Opening needs the reference standard; a file naming an unknown subject changes nothing.
        var refused = await OpenAsync(coordinator, study);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("no reference standard", await refused.Content.ReadAsStringAsync());
        var unknown = await ReferenceAsync(coordinator, study, $"subject,truth\n{subjects[0]},1\nS-9999,0\n");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("'S-9999'", await unknown.Content.ReadAsStringAsync());
        await using (var db = portal.NewDbContext())
        {
            Assert.All(await db.Subjects.Where(s => s.StudyId == study).ToListAsync(), s => Assert.Null(s.ReferenceTruth));
        }
        var badTruth = await ReferenceAsync(coordinator, study, $"subject,truth\n{subjects[0]},yes\n");
        Assert.Equal(HttpStatusCode.BadRequest, badTruth.StatusCode);
        Assert.Contains("'yes' is not a number", await badTruth.Content.ReadAsStringAsync());
        // Cases 1-3 have the lesion, 4-6 not.
        var truth = subjects.Select((s, i) => (Subject: s, Positive: i < 3)).ToDictionary(p => p.Subject, p => p.Positive);
        var imported = await ReferenceAsync(coordinator, study, "subject,truth\n" + string.Concat(truth.Select(t => $"{t.Key},{(t.Value ? 1 : 0)}\n")));
        imported.EnsureSuccessStatusCode();
        var summary = (await imported.Content.ReadFromJsonAsync<ReferenceStandardImport>(PortalJson.Options))!;
        Assert.Equal((6, 3, 3, 0), (summary.Subjects, summary.Positive, summary.Negative, summary.CasesWithoutTruth));
        Assert.Equal(HttpStatusCode.NoContent, (await OpenAsync(coordinator, study)).StatusCode);

        foreach (var (email, misses) in new[] { (DemoUsers.Reader1, 0), (DemoUsers.Reader2, 1) })
        {
            using var reader = await portal.NewClient().SignedInAsAsync(email);
            var session = (await reader.Http.GetFromJsonAsync<ReaderSession>($"/api/reading/studies/{study}/session", PortalJson.Options))!;
            Assert.Equal(2 * Cases, session.Trials.Count);
            Assert.Equal(Cases, session.Trials.Count(t => !t.Available));
            Assert.StartsWith("cartilage lesion: how confident are you that it is present?", session.Questions[0].Text);
            await using var db = portal.NewDbContext();
            var trials = await db.Trials.Where(t => t.StudyId == study && t.ReaderId == db.Users.Single(u => u.Email == email).Id).OrderBy(t => t.Position).ToListAsync();
            var subjectOf = await db.Cases.Where(c => c.StudyId == study).Join(db.Subjects, c => c.SubjectId, s => s.Id, (c, s) => new { c.Id, s.Pseudonym }).ToDictionaryAsync(c => c.Id, c => c.Pseudonym);
            foreach (var group in trials.GroupBy(t => t.CaseId))
            {
                var (first, second) = (group.First(), group.Last());
                Assert.Equal((1, 2), (first.Block, second.Block));
                Assert.NotEqual(first.RealOnLeft, second.RealOnLeft);
                Assert.True(second.Position - first.Position >= 3);
            }
            // The second session stays closed until the first is submitted.
            var early = await reader.Http.GetAsync($"/api/reading/trials/{trials[Cases].Id}");
            Assert.Equal(HttpStatusCode.BadRequest, early.StatusCode);
            Assert.Contains("second session", await early.Content.ReadAsStringAsync());
            var rating = session.Questions[0];
            var quality = session.Questions[1];
            var missed = 0;
            foreach (var trial in trials)
            {
                var positive = truth[subjectOf[trial.CaseId]];
                // Both readers are right on the real maps; on synthetic maps Reader2 misses a positive case.
                var value = positive ? (!trial.RealOnLeft && missed++ < misses ? "2" : trial.RealOnLeft ? "5" : "4") : trial.RealOnLeft ? "1" : "2";
                Assert.Equal(HttpStatusCode.NoContent, (await reader.Http.PutAsJsonAsync($"/api/reading/trials/{trial.Id}/answers", new AnswerInput(rating.Id, "", value))).StatusCode);
                Assert.Equal(HttpStatusCode.NoContent, (await reader.Http.PutAsJsonAsync($"/api/reading/trials/{trial.Id}/answers", new AnswerInput(quality.Id, "", "4"))).StatusCode);
                Assert.Equal(HttpStatusCode.OK, (await reader.Http.PostAsync($"/api/reading/trials/{trial.Id}/submit", null)).StatusCode);
            }
        }
        Assert.Equal(HttpStatusCode.NoContent, (await coordinator.Http.PostAsJsonAsync($"/api/studies/{study}/state", new StudyStateChange(Core.Studies.StudyState.Closed))).StatusCode);

        using var statistician = await portal.NewClient().SignedInAsAsync(DemoUsers.Statistician);
        var results = JsonDocument.Parse(await statistician.Http.GetStringAsync($"/api/studies/{study}/results/full?nonInferiorityMargin=0.2")).RootElement;
        var diagnostic = results.GetProperty("diagnostic");
        Assert.Equal("cartilage lesion", diagnostic.GetProperty("finding").GetString());
        var comparison = diagnostic.GetProperty("comparison");
        Assert.Equal(["real", "synthetic"], comparison.GetProperty("modalities").EnumerateArray().Select(m => m.GetString()));
        // Real maps: AUC 1 for both readers. Synthetic: 1 for Reader1; Reader2 rated one positive 2, tying the three negatives at 2: 7.5 of 9 pairs.
        var aucs = comparison.GetProperty("readerAucs").EnumerateArray().ToDictionary(a => (a.GetProperty("reader").GetString(), a.GetProperty("modality").GetString()), a => a.GetProperty("auc").GetDouble());
        Assert.Equal(1.0, aucs[(DemoUsers.Reader1, "real")]);
        Assert.Equal(1.0, aucs[(DemoUsers.Reader1, "synthetic")]);
        Assert.Equal(7.5 / 9, aucs[(DemoUsers.Reader2, "synthetic")], 12);
        var difference = comparison.GetProperty("randomReadersRandomCases").GetProperty("difference").GetDouble();
        Assert.Equal(1 - (1 + 7.5 / 9) / 2, difference, 12);
        var nonInferiority = diagnostic.GetProperty("nonInferiority");
        Assert.Equal("synthetic", nonInferiority.GetProperty("tested").GetString());
        Assert.Equal(0.2, nonInferiority.GetProperty("margin").GetDouble());

        // The long-table export is exactly what `readerstudy stats mrmc` and RJafroc read, and gives the same answer.
        var csv = await statistician.Http.GetStringAsync($"/api/studies/{study}/exports/mrmc.csv");
        Assert.StartsWith("reader,modality,case,truth,rating\n", csv);
        Assert.Equal(2 * 2 * Cases, csv.TrimEnd('\n').Split('\n').Length - 1);
        var fromExport = ObuchowskiRockette.Compare(MrmcReadings.From(MrmcReadings.Rows(SubjectTable.Parse(new StringReader(csv), "mrmc.csv"))));
        Assert.Equal(difference, fromExport.RandomReadersRandomCases.Difference, 12);
        var imrmc = await statistician.Http.GetStringAsync($"/api/studies/{study}/exports/imrmc.txt");
        Assert.Contains($"-1,{subjects[0]},0,1", imrmc);
        Assert.Contains($"-1,{subjects[5]},0,0", imrmc);
        var report = await statistician.Http.GetStringAsync($"/api/studies/{study}/exports/report.html");
        Assert.Contains("Diagnosing cartilage lesion: real vs synthetic map", report);
        Assert.Contains("data-curve='real'", report);
        Assert.Contains("ROC on the synthetic map: each reader and reader-averaged", report);
    }

    [Fact]
    public async Task Washout_KeepsTheSecondSessionClosed_AfterTheFirstIsDone()
    {
        var (coordinator, study, subjects) = await DraftAsync(washoutDays: 14);
        using var _ = coordinator;
        (await ReferenceAsync(coordinator, study, "subject,truth\n" + string.Concat(subjects.Select((s, i) => $"{s},{i % 2}\n")))).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.NoContent, (await OpenAsync(coordinator, study)).StatusCode);

        using var reader = await portal.NewClient().SignedInAsAsync(DemoUsers.Reader2);
        var session = (await reader.Http.GetFromJsonAsync<ReaderSession>($"/api/reading/studies/{study}/session", PortalJson.Options))!;
        foreach (var trial in session.Trials.Take(Cases))
        {
            foreach (var question in session.Questions)
            {
                (await reader.Http.PutAsJsonAsync($"/api/reading/trials/{trial.TrialId}/answers", new AnswerInput(question.Id, "", "3"))).EnsureSuccessStatusCode();
            }
            (await reader.Http.PostAsync($"/api/reading/trials/{trial.TrialId}/submit", null)).EnsureSuccessStatusCode();
        }
        session = (await reader.Http.GetFromJsonAsync<ReaderSession>($"/api/reading/studies/{study}/session", PortalJson.Options))!;
        var waiting = session.Trials.Skip(Cases).ToList();
        Assert.All(waiting, t => Assert.InRange(t.OpensAt!.Value, DateTimeOffset.UtcNow.AddDays(13.9), DateTimeOffset.UtcNow.AddDays(14.1)));
        var answer = await reader.Http.PutAsJsonAsync($"/api/reading/trials/{waiting[0].TrialId}/answers", new AnswerInput(session.Questions[0].Id, "", "3"));
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Contains("after the washout", await answer.Content.ReadAsStringAsync());
    }
}

public sealed class DiagnosticReadingOnSqlite(SqlitePortal portal) : DiagnosticReadingTests(portal), IClassFixture<SqlitePortal>;

public sealed class DiagnosticReadingOnPostgres(PostgresPortal portal) : DiagnosticReadingTests(portal), IClassFixture<PostgresPortal>;
