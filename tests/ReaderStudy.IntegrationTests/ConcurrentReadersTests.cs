using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using ReaderStudy.Core.Reading;
using ReaderStudy.Core.Series;
using ReaderStudy.Core.Studies;
using ReaderStudy.Web.Features.Admin;
using ReaderStudy.Web.Features.Reading;
using ReaderStudy.Web.Features.Studies;

namespace ReaderStudy.IntegrationTests;

/// <summary>A load test on loopback: 20 readers answer at once, each answer sent twice in parallel; nothing may be lost or doubled.</summary>
public abstract class ConcurrentReadersTests(PortalFactory portal)
{
    private const int Readers = 20;
    private const int Cases = 5;

    [Fact]
    public async Task TwentyReadersAnsweringConcurrently_LoseNoAnswer_AndCreateNoDuplicate()
    {
        using var admin = await portal.NewClient().SignedInAsAsync(DemoUsers.Admin);
        using var coordinator = await portal.NewClient().SignedInAsAsync(DemoUsers.Coordinator);
        var created = await coordinator.Http.PostAsJsonAsync("/api/studies", new NewStudy($"Load {Guid.NewGuid():N}", ""));
        var study = (await created.Content.ReadFromJsonAsync<StudySummary>(PortalJson.Options))!;
        var emails = Enumerable.Range(1, Readers).Select(i => $"load-{i}-{Guid.NewGuid():N}@hospital.test").ToList();
        foreach (var email in emails)
        {
            Assert.Equal(HttpStatusCode.Created, (await admin.Http.PostAsJsonAsync("/api/admin/users", new NewUser(email, "Load Reader", "Reader", "Load-test-pass-1"))).StatusCode);
            Assert.Equal(HttpStatusCode.NoContent, (await coordinator.Http.PostAsJsonAsync($"/api/studies/{study.Id}/members", new NewStudyMember(email, "Reader"))).StatusCode);
        }
        await SeedCasesAsync(study.Id);
        Assert.Equal(HttpStatusCode.NoContent, (await coordinator.Http.PostAsJsonAsync($"/api/studies/{study.Id}/state", new StudyStateChange(StudyState.Open))).StatusCode);
        var clients = await Task.WhenAll(emails.Select(e => portal.NewClient().SignedInAsAsync(e, "Load-test-pass-1")));

        await Task.WhenAll(clients.Select((client, r) => ReadAllAsync(client, study.Id, r)));

        await using var db = portal.NewDbContext();
        var answers = await db.Answers.Where(a => a.StudyId == study.Id).ToListAsync();
        Assert.Equal(Readers * Cases * 3, answers.Count);
        Assert.Empty(answers.GroupBy(a => (a.TrialId, a.QuestionId, a.Side)).Where(g => g.Count() > 1));
        Assert.All(answers.Where(a => a.Value is "left" or "right"), a => Assert.Equal("right", a.Value));
        Assert.Equal(Readers * Cases, await db.Trials.CountAsync(t => t.StudyId == study.Id && t.SubmittedAt != null));
        foreach (var client in clients)
        {
            client.Dispose();
        }
    }

    private static async Task ReadAllAsync(PortalClient reader, Guid studyId, int readerIndex)
    {
        var session = (await reader.Http.GetFromJsonAsync<ReaderSession>($"/api/reading/studies/{studyId}/session", PortalJson.Options))!;
        foreach (var trial in session.Trials)
        {
            var saves = new List<Task<HttpResponseMessage>>();
            foreach (var question in session.Questions)
            {
                var final = question.Kind switch { QuestionKind.WhichIsReal => "right", QuestionKind.Likert => "4", _ => $"reader {readerIndex} case {trial.Position}" };
                // The same answer twice at once (a double click, a retried request), then the final value.
                saves.Add(reader.Http.PutAsJsonAsync($"/api/reading/trials/{trial.TrialId}/answers", new AnswerInput(question.Id, "", question.Kind == QuestionKind.WhichIsReal ? "left" : final)));
                saves.Add(reader.Http.PutAsJsonAsync($"/api/reading/trials/{trial.TrialId}/answers", new AnswerInput(question.Id, "", question.Kind == QuestionKind.WhichIsReal ? "left" : final)));
            }
            foreach (var response in await Task.WhenAll(saves))
            {
                Assert.True(response.StatusCode == HttpStatusCode.NoContent, await response.Content.ReadAsStringAsync());
            }
            var which = session.Questions.Single(q => q.Kind == QuestionKind.WhichIsReal);
            Assert.Equal(HttpStatusCode.NoContent, (await reader.Http.PutAsJsonAsync($"/api/reading/trials/{trial.TrialId}/answers", new AnswerInput(which.Id, "", "right"))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await reader.Http.PostAsync($"/api/reading/trials/{trial.TrialId}/submit?seconds=5", null)).StatusCode);
        }
    }

    private async Task SeedCasesAsync(Guid studyId)
    {
        for (var i = 1; i <= Cases; i++)
        {
            await ReadableStudy.AddCaseAsync(portal, studyId, i);
        }
        await using var db = portal.NewDbContext();
        db.Questions.AddRange(
            new Question { StudyId = studyId, Order = 1, Kind = QuestionKind.WhichIsReal, Text = "Which is real?" },
            new Question { StudyId = studyId, Order = 2, Kind = QuestionKind.Likert, Text = "Confidence", Options = "guessing|certain" },
            new Question { StudyId = studyId, Order = 3, Kind = QuestionKind.Text, Text = "Comment" });
        await db.SaveChangesAsync();
    }
}

public sealed class ConcurrentReadersOnSqlite(SqlitePortal portal) : ConcurrentReadersTests(portal), IClassFixture<SqlitePortal>;

public sealed class ConcurrentReadersOnPostgres(PostgresPortal portal) : ConcurrentReadersTests(portal), IClassFixture<PostgresPortal>;
