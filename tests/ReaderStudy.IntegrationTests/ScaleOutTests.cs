using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using ReaderStudy.Core.Data;
using ReaderStudy.Core.Reading;
using ReaderStudy.Web.Features.Hosting;
using ReaderStudy.Web.Features.Reading;

namespace ReaderStudy.IntegrationTests;

/// <summary>
/// The deployment of deploy/RUNBOOK.md ("Several portal processes") on loopback: two web processes and one worker
/// on one PostgreSQL database and one image folder, behind the project's reverse proxy. The process a reader is on
/// is killed outright; the reader goes on through the proxy on the other one with the same cookies (so the
/// cookie keys are shared), and a batch started before the kill is made by the worker, once per subject.
/// </summary>
public sealed class ScaleOutTests : IDisposable
{
    private const int Subjects = 4;
    private readonly string data = Directory.CreateTempSubdirectory("readerstudy-scale-out-").FullName;
    private readonly string phantom = Directory.CreateTempSubdirectory("readerstudy-scale-out-phantom-").FullName;
    private readonly string connectionString = PostgresServer.NewDatabase();

    [Fact]
    public async Task ReaderOnAKilledWebProcess_GoesOnThroughTheProxy_NoAnswerLostOrDoubled_AndTheWorkerFinishesTheBatchOnce()
    {
        var settings = SynthesisKillTests.SettingsFor(TestDatabase.Postgres, connectionString, data);
        // One after the other: the first seeds the demo study, the others find it.
        using var web1 = await PortalProcess.StartAsync(Node(settings, NodeRole.Web, "web-1"));
        using var web2 = await PortalProcess.StartAsync(Node(settings, NodeRole.Web, "web-2"));
        using var worker = await PortalProcess.StartAsync(Node(settings, NodeRole.Worker, "worker"));
        using var proxy = await PortalProcess.StartProxyAsync(new Dictionary<string, PortalProcess> { ["web-1"] = web1, ["web-2"] = web2 });

        var coordinator = await SynthesisKillTests.CoordinatorAsync(proxy);
        var (studyId, generator) = await SynthesisTests.StudyWithGeneratorAsync(coordinator, phantom, Subjects);
        var batchId = (await SynthesisTests.StartBatchAsync(coordinator, studyId, generator.Id)).Id;

        using var reader = await proxy.NewClient().SignedInAsAsync(DemoUsers.Reader1);
        var demoStudy = await DemoStudyAsync();
        var session = (await reader.Http.GetFromJsonAsync<ReaderSession>($"/api/reading/studies/{demoStudy}/session", PortalJson.Options))!;
        var likert = session.Questions.First(q => q.Kind == QuestionKind.Likert && !q.PerImage);
        var acknowledged = new Dictionary<Guid, string>();
        var before = "";
        foreach (var trial in session.Trials.Take(2))
        {
            before = await AnswerUntilAcknowledgedAsync(reader, trial.TrialId, likert.Id, "2", acknowledged);
        }
        var (killed, other) = before == "web-1" ? (web1, "web-2") : (web2, "web-1");
        Assert.Contains(before, new[] { "web-1", "web-2" });

        killed.Kill();
        var after = new List<string>();
        foreach (var trial in session.Trials.Skip(1))
        {
            after.Add(await AnswerUntilAcknowledgedAsync(reader, trial.TrialId, likert.Id, "4", acknowledged));
        }

        Assert.All(after, node => Assert.Equal(other, node));
        await using (var db = new ReaderStudyDbContext(DatabaseProvider.OptionsFor("Postgres", connectionString)))
        {
            var stored = await db.Answers.Where(a => a.StudyId == demoStudy && a.QuestionId == likert.Id).ToListAsync();
            Assert.Equal(acknowledged.OrderBy(a => a.Key), stored.ToDictionary(a => a.TrialId, a => a.Value).OrderBy(a => a.Key));
            Assert.Equal(session.Trials.Count, stored.Count);
        }

        var finished = await SynthesisTests.FinishedBatchAsync(coordinator, studyId, batchId);
        Assert.Equal(Subjects, finished.Done);
        await SynthesisTests.AssertOneMapPerSubjectAsync(coordinator, studyId, Subjects);
        Assert.Equal([$":{worker.ProcessId}:"], await ServersThatRanJobsAsync(worker.ProcessId));
    }

    /// <summary>
    /// Sends one answer as the reading page's outbox does, again until the portal acknowledges it (while the proxy has
    /// not yet seen the process die, the answer may be refused); returns the process that stored it.
    /// </summary>
    private static async Task<string> AnswerUntilAcknowledgedAsync(PortalClient reader, Guid trialId, Guid questionId, string value, Dictionary<Guid, string> acknowledged)
    {
        var failures = new List<string>();
        for (var attempt = 0; attempt < 120; attempt++)
        {
            try
            {
                using var response = await reader.Http.PutAsJsonAsync($"/api/reading/trials/{trialId}/answers", new AnswerInput(questionId, "", value));
                if (response.StatusCode == HttpStatusCode.NoContent)
                {
                    acknowledged[trialId] = value;
                    return response.Headers.GetValues(HostingExtensions.NodeHeader).Single();
                }
                failures.Add($"{(int)response.StatusCode}");
            }
            catch (HttpRequestException e)
            {
                failures.Add(e.Message);
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"The answer to trial {trialId} was not acknowledged in 30 s: {string.Join("; ", failures.Distinct())}");
    }

    private static Dictionary<string, string> Node(Dictionary<string, string> settings, NodeRole role, string name) =>
        new(settings) { ["Hosting:Role"] = role.ToString(), ["Hosting:NodeName"] = name };

    private async Task<Guid> DemoStudyAsync()
    {
        await using var db = new ReaderStudyDbContext(DatabaseProvider.OptionsFor("Postgres", connectionString));
        return await db.Studies.Where(s => s.Name == "Knee T2 phantom demo").Select(s => s.Id).SingleAsync();
    }

    /// <summary>The Hangfire servers (host:pid:id) that took a synthesis job, reduced to their ":pid:" part.</summary>
    private async Task<List<string>> ServersThatRanJobsAsync(int workerPid)
    {
        await using var db = new NpgsqlConnection(connectionString);
        await db.OpenAsync();
        await using var servers = new NpgsqlCommand(
            "select distinct s.data::jsonb->>'ServerId' from hangfire.state s join hangfire.job j on j.id = s.jobid " +
            "where s.name = 'Processing' and j.invocationdata::text like '%SynthesisWorker%'", db);
        var ids = new List<string>();
        await using var rows = await servers.ExecuteReaderAsync();
        while (await rows.ReadAsync())
        {
            var parts = rows.GetString(0).Split(':');
            ids.Add($":{parts[^2]}:");
        }
        return ids.Distinct().ToList();
    }

    public void Dispose()
    {
        Directory.Delete(phantom, recursive: true);
        try { Directory.Delete(data, recursive: true); } catch (IOException) { }
    }
}
