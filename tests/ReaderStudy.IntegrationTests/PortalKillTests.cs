using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using ReaderStudy.Core.Data;
using ReaderStudy.Core.Reading;
using ReaderStudy.Web.Features.Reading;

namespace ReaderStudy.IntegrationTests;

/// <summary>
/// The portal killed outright (SIGKILL) while a reader answers, then started again on the same data: every answer
/// the portal acknowledged is stored once, an answer that was in flight is simply sent again, and reading goes on.
/// </summary>
public abstract class PortalKillTests(TestDatabase database) : IDisposable
{
    private readonly string data = Directory.CreateTempSubdirectory("readerstudy-read-kill-").FullName;

    [Fact]
    public async Task ReaderAnswering_PortalKilledAndRestarted_KeepsEveryAcknowledgedAnswerOnce()
    {
        var settings = SynthesisKillTests.SettingsFor(database, database == TestDatabase.Postgres ? PostgresServer.NewDatabase() : "", data);
        var acknowledged = new Dictionary<(Guid Trial, Guid Question), string>();
        Guid studyId;
        ReaderSession session;
        using (var first = await PortalProcess.StartAsync(settings))
        {
            using var reader = await ReaderAsync(first);
            studyId = await DemoStudyAsync(settings);
            session = (await reader.Http.GetFromJsonAsync<ReaderSession>($"/api/reading/studies/{studyId}/session", PortalJson.Options))!;
            var likert = session.Questions.First(q => q.Kind == QuestionKind.Likert && !q.PerImage);
            // Answers keep coming while the process is killed: the ones acknowledged before it are the ones that must survive.
            var sending = Task.Run(async () =>
            {
                for (var round = 0; round < 200; round++)
                {
                    var trial = session.Trials[round % session.Trials.Count];
                    var value = $"{1 + round % 5}";
                    try
                    {
                        using var response = await reader.Http.PutAsJsonAsync($"/api/reading/trials/{trial.TrialId}/answers", new AnswerInput(likert.Id, "", value));
                        if (response.StatusCode == HttpStatusCode.NoContent)
                        {
                            lock (acknowledged) { acknowledged[(trial.TrialId, likert.Id)] = value; }
                        }
                    }
                    catch (HttpRequestException)
                    {
                        return;
                    }
                }
            });
            await Task.Delay(1500);
            first.Kill();
            await sending;
        }
        Assert.NotEmpty(acknowledged);

        using var second = await PortalProcess.StartAsync(settings);
        using var again = await ReaderAsync(second);
        var resumed = await again.Http.PutAsJsonAsync($"/api/reading/trials/{session.Trials[0].TrialId}/answers",
            new AnswerInput(session.Questions.First(q => q.Kind == QuestionKind.WhichIsReal).Id, "", "left"));

        Assert.Equal(HttpStatusCode.NoContent, resumed.StatusCode);
        await using var db = new ReaderStudyDbContext(DatabaseProvider.OptionsFor(settings["Database:Provider"],
            database == TestDatabase.Postgres ? settings["Database:ConnectionString"] : DatabaseProvider.DefaultSqliteConnectionString(data)));
        var stored = await db.Answers.Where(a => a.StudyId == studyId).ToListAsync();
        foreach (var ((trialId, questionId), value) in acknowledged)
        {
            // The last acknowledged value, or a later one whose acknowledgement the kill swallowed.
            var answer = Assert.Single(stored, a => a.TrialId == trialId && a.QuestionId == questionId);
            Assert.InRange(int.Parse(answer.Value, System.Globalization.CultureInfo.InvariantCulture), 1, 5);
        }
        Assert.Equal(stored.Count, stored.Select(a => (a.TrialId, a.QuestionId, a.Side)).Distinct().Count());
    }

    private static async Task<PortalClient> ReaderAsync(PortalProcess portal)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await portal.NewClient().SignedInAsAsync(DemoUsers.Reader1);
            }
            catch (InvalidOperationException) when (attempt < 50)
            {
                // The demo accounts are seeded as the portal starts.
                await Task.Delay(200);
            }
        }
    }

    private async Task<Guid> DemoStudyAsync(Dictionary<string, string> settings)
    {
        await using var db = new ReaderStudyDbContext(DatabaseProvider.OptionsFor(settings["Database:Provider"],
            database == TestDatabase.Postgres ? settings["Database:ConnectionString"] : DatabaseProvider.DefaultSqliteConnectionString(data)));
        return await db.Studies.Where(s => s.Name == "Knee T2 phantom demo").Select(s => s.Id).SingleAsync();
    }

    public void Dispose()
    {
        try { Directory.Delete(data, recursive: true); } catch (IOException) { }
    }
}

public sealed class PortalKillOnSqlite() : PortalKillTests(TestDatabase.Sqlite);

public sealed class PortalKillOnPostgres() : PortalKillTests(TestDatabase.Postgres);
