using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ReaderStudy.Core.Reading;
using ReaderStudy.Core.Studies;
using ReaderStudy.Web.Features.Studies;

namespace ReaderStudy.IntegrationTests;

/// <summary>A coordinator corrects a draft (renames it, edits or deletes a question, deletes a series, a subject, the study); an open study refuses, unchanged.</summary>
public abstract class StudyCorrectionsTests(PortalFactory portal)
{
    private async Task<(PortalClient Coordinator, Guid Study)> DraftWithTwoCasesAsync()
    {
        var coordinator = await portal.NewClient().SignedInAsAsync(DemoUsers.Coordinator);
        var study = await coordinator.CreateStudyAsync($"Corrections {Guid.NewGuid():N}");
        await ReadableStudy.PrepareAsync(portal, study);
        await ReadableStudy.AddCaseAsync(portal, study, 2);
        return (coordinator, study);
    }

    [Fact]
    public async Task Draft_RenameEditDeleteQuestionSeriesSubjectAndStudy_AreDoneAndAudited()
    {
        var (coordinator, study) = await DraftWithTwoCasesAsync();
        using var _ = coordinator;
        var other = await coordinator.CreateStudyAsync($"Taken {Guid.NewGuid():N}");
        var otherName = (await coordinator.Http.GetFromJsonAsync<StudySummary>($"/api/studies/{other}", PortalJson.Options))!.Name;

        var renamed = await coordinator.Http.PutAsJsonAsync($"/api/studies/{study}", new StudyEdit($"Knee T2 {study:N}", "corrected"));
        var clash = await coordinator.Http.PutAsJsonAsync($"/api/studies/{study}", new StudyEdit(otherName));

        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, clash.StatusCode);
        Assert.Contains(otherName, await clash.Content.ReadAsStringAsync());
        Assert.Equal(($"Knee T2 {study:N}", "corrected"), await NameAsync(study));

        var added = await coordinator.Http.PostAsJsonAsync($"/api/studies/{study}/reading/questions",
            new Question { Kind = QuestionKind.Choice, Text = "Sharpnes?", Options = "poor|good" }, PortalJson.Options);
        var question = (await added.Content.ReadFromJsonAsync<Question>(PortalJson.Options))!;
        var edited = await coordinator.Http.PutAsJsonAsync($"/api/studies/{study}/reading/questions/{question.Id}",
            new Question { Text = "Sharpness?", Options = "poor|fair|good" }, PortalJson.Options);
        var oneOption = await coordinator.Http.PutAsJsonAsync($"/api/studies/{study}/reading/questions/{question.Id}",
            new Question { Text = "Sharpness?", Options = "good" }, PortalJson.Options);

        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, oneOption.StatusCode);
        await using (var db = portal.NewDbContext())
        {
            var stored = await db.Questions.SingleAsync(q => q.Id == question.Id);
            Assert.Equal(("Sharpness?", "poor|fair|good", QuestionKind.Choice), (stored.Text, stored.Options, stored.Kind));
        }
        Assert.Equal(HttpStatusCode.NoContent, (await coordinator.Http.DeleteAsync($"/api/studies/{study}/reading/questions/{question.Id}")).StatusCode);

        var (case1, case2) = await CasesAsync(study);
        var series = JsonDocument.Parse(await (await coordinator.Http.DeleteAsync($"/api/studies/{study}/series/{case1.RealSeriesId}")).Content.ReadAsStringAsync()).RootElement;
        var subject = JsonDocument.Parse(await (await coordinator.Http.DeleteAsync($"/api/studies/{study}/subjects/{case2.SubjectId}")).Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(1, series.GetProperty("casesRemoved").GetInt32());
        Assert.Contains("build cases again", series.GetProperty("said").GetString());
        Assert.Contains("2 series and 1 case(s)", subject.GetProperty("said").GetString());
        await using (var db = portal.NewDbContext())
        {
            Assert.Equal(0, await db.Cases.CountAsync(c => c.StudyId == study));
            Assert.False(await db.Series.AnyAsync(s => s.Id == case1.RealSeriesId || s.SubjectId == case2.SubjectId));
            Assert.False(await db.SeriesImages.AnyAsync(i => i.SeriesId == case1.RealSeriesId));
            Assert.True(await db.Series.AnyAsync(s => s.Id == case1.SyntheticSeriesId), "the other map of the first subject stays");
            Assert.False(await db.Subjects.AnyAsync(s => s.Id == case2.SubjectId));
            var actions = await db.AuditLog.Where(a => a.StudyId == study).Select(a => a.Action).ToListAsync();
            Assert.Contains("Study.modified", actions);
            Assert.Contains("Question.modified", actions);
            Assert.Contains("Question.deleted", actions);
            Assert.Contains("series.deleted", actions);
            Assert.Contains("subject.deleted", actions);
        }

        var deleted = await coordinator.Http.DeleteAsync($"/api/studies/{study}");

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        // Gone with its members: the coordinator is no longer one, and learns no more than any non-member would.
        Assert.Equal(HttpStatusCode.Forbidden, (await coordinator.Http.GetAsync($"/api/studies/{study}")).StatusCode);
        await using (var db = portal.NewDbContext())
        {
            Assert.False(await db.Studies.AnyAsync(s => s.Id == study));
            Assert.False(await db.Subjects.AnyAsync(s => s.StudyId == study));
            Assert.False(await db.Series.AnyAsync(s => s.StudyId == study));
            Assert.False(await db.Questions.AnyAsync(q => q.StudyId == study));
            Assert.False(await db.StudyMembers.AnyAsync(m => m.StudyId == study));
            var record = await db.AuditLog.SingleAsync(a => a.StudyId == study && a.Action == "study.deleted");
            Assert.Contains("1 subject(s), 1 series and 0 case(s)", record.Details);
        }
    }

    [Fact]
    public async Task OpenStudy_RefusesEveryCorrection_AndKeepsWhatItHolds()
    {
        var (coordinator, study) = await DraftWithTwoCasesAsync();
        using var _ = coordinator;
        Assert.Equal(HttpStatusCode.NoContent, (await coordinator.Http.PostAsJsonAsync($"/api/studies/{study}/state", new StudyStateChange(StudyState.Open))).StatusCode);
        var (case1, _) = await CasesAsync(study);
        Guid question;
        await using (var db = portal.NewDbContext())
        {
            question = await db.Questions.Where(q => q.StudyId == study).Select(q => q.Id).FirstAsync();
        }
        var name = await NameAsync(study);

        HttpResponseMessage[] refused =
        [
            await coordinator.Http.PutAsJsonAsync($"/api/studies/{study}", new StudyEdit("renamed after opening")),
            await coordinator.Http.DeleteAsync($"/api/studies/{study}/series/{case1.RealSeriesId}"),
            await coordinator.Http.DeleteAsync($"/api/studies/{study}/subjects/{case1.SubjectId}"),
            await coordinator.Http.DeleteAsync($"/api/studies/{study}/reading/questions/{question}"),
            await coordinator.Http.DeleteAsync($"/api/studies/{study}"),
        ];

        Assert.All(refused, r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));
        Assert.Contains("An open study cannot", await refused[1].Content.ReadAsStringAsync());
        Assert.Equal(name, await NameAsync(study));
        await using (var db = portal.NewDbContext())
        {
            Assert.Equal(2, await db.Cases.CountAsync(c => c.StudyId == study));
            Assert.True(await db.Series.AnyAsync(s => s.Id == case1.RealSeriesId));
            Assert.True(await db.Questions.AnyAsync(q => q.Id == question));
            Assert.True(await db.Trials.AnyAsync(t => t.StudyId == study));
        }
    }

    [Fact]
    public async Task Corrections_ByAReaderOrAStatistician_AreForbidden()
    {
        var (coordinator, study) = await DraftWithTwoCasesAsync();
        using var _ = coordinator;
        var (case1, _) = await CasesAsync(study);
        foreach (var email in new[] { DemoUsers.Reader2, DemoUsers.Statistician })
        {
            using var other = await portal.NewClient().SignedInAsAsync(email);
            Assert.Equal(HttpStatusCode.Forbidden, (await other.Http.DeleteAsync($"/api/studies/{study}")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await other.Http.DeleteAsync($"/api/studies/{study}/series/{case1.RealSeriesId}")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await other.Http.PutAsJsonAsync($"/api/studies/{study}", new StudyEdit("mine"))).StatusCode);
        }
        await using var db = portal.NewDbContext();
        Assert.True(await db.Series.AnyAsync(s => s.Id == case1.RealSeriesId));
    }

    private async Task<(string, string)> NameAsync(Guid study)
    {
        await using var db = portal.NewDbContext();
        var found = await db.Studies.SingleAsync(s => s.Id == study);
        return (found.Name, found.Description);
    }

    private async Task<(ReadingCase, ReadingCase)> CasesAsync(Guid study)
    {
        await using var db = portal.NewDbContext();
        var cases = await db.Cases.Where(c => c.StudyId == study).OrderBy(c => c.Number).ToListAsync();
        return (cases[0], cases[1]);
    }
}

public sealed class StudyCorrectionsOnSqlite(SqlitePortal portal) : StudyCorrectionsTests(portal), IClassFixture<SqlitePortal>;

public sealed class StudyCorrectionsOnPostgres(PostgresPortal portal) : StudyCorrectionsTests(portal), IClassFixture<PostgresPortal>;
