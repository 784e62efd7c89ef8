using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using ReaderStudy.Core.Data;
using ReaderStudy.Core.Reading;
using ReaderStudy.Testing;
using ReaderStudy.Web.Features.Reading;

namespace ReaderStudy.Bench;

/// <summary>
/// N readers at once through the reading API, as the reading page calls it (same cookies, antiforgery token and
/// authorization): open the session, load each case, answer its questions with think time between answers, submit.
/// The built portal runs as its own process on loopback (SQLite or PostgreSQL). Like the page's answer outbox, a
/// reader sends an answer again until the portal acknowledges it. A fault may be thrown in a third of the way in:
/// "kill" (the portal SIGKILLed and started again on its port), "pg-restart" (PostgreSQL restarted, a server of
/// the bench's own) or "drop" (every third reader's network cut for 30 s, bytes held as TCP holds them). Afterwards the database is compared with every acknowledged answer: lost (acknowledged, not
/// stored as sent), doubled (two rows for one answer).
/// </summary>
internal static class LoadBench
{
    public static async Task RunAsync(IReadOnlyList<int> readerCounts, IReadOnlyList<string> databases, TimeSpan limit, TimeSpan think, string fault)
    {
        Console.WriteLine($"load: readers through the reading API, think time {think.TotalMilliseconds:0} ms (0.5-1.5x), each run at most {limit.TotalSeconds:0} s, fault: {fault}; "
            + "latency is client-observed on loopback (server time plus the round trip) until the answer was acknowledged, re-sends included");
        Console.WriteLine($"{"database",-9} {"readers",7} {"answers",8} {"per s",6} {"p50 ms",7} {"p95 ms",7} {"max ms",8} {"re-sent",7} {"lost",5} {"doubled",7} {"portal MB",9}");
        foreach (var database in databases)
        {
            foreach (var readers in readerCounts)
            {
                await RunOnceAsync(database, readers, limit, think, fault);
            }
        }
    }

    private static async Task RunOnceAsync(string database, int readers, TimeSpan limit, TimeSpan think, string fault)
    {
        var data = Directory.CreateTempSubdirectory("readerstudy-load-").FullName;
        using var ownServer = fault == "pg-restart" ? new OwnPostgresServer() : null;
        var connectionString = database != "postgres" ? "" : ownServer?.ConnectionString($"load_{Guid.NewGuid():N}") ?? PostgresServer.NewDatabase();
        var settings = new Dictionary<string, string>(PortalProcess.DemoSettings(database == "postgres" ? TestDatabase.Postgres : TestDatabase.Sqlite, connectionString, data))
        {
            ["Demo:ExtraReaders"] = $"{Math.Max(0, readers - 2)}",
            ["Demo:PhantomSubjects"] = "6",
            ["RateLimits:SignInsPerMinute"] = "100000",
        };
        var portal = await PortalProcess.StartAsync(settings);
        // "drop": every third reader reaches the portal through a relay whose network is cut for 30 s.
        using var relay = fault == "drop" ? new NetworkRelay(portal.Address) : null;
        var clients = new PortalClient[readers];
        await Parallel.ForEachAsync(Enumerable.Range(0, readers), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
            clients[i] = await (relay is not null && i % 3 == 0 ? ThroughRelay(relay) : portal.NewClient()).SignedInAsAsync($"reader{i + 1}@readerstudy.local"));
        var studyId = await DemoStudyAsync(settings, data);

        var latencies = new ConcurrentBag<double>();
        var acknowledged = new ConcurrentDictionary<(Guid Trial, Guid Question, string Side), string>();
        var resent = 0;
        var deadline = Stopwatch.StartNew();
        var faultThrown = Task.Run(async () =>
        {
            await Task.Delay(limit / 3);
            switch (fault)
            {
                case "kill":
                    var port = portal.Address.Port;
                    portal.Kill();
                    portal.Dispose();
                    portal = await PortalProcess.StartAsync(settings, port);
                    break;
                case "pg-restart":
                    ownServer!.Restart();
                    break;
                case "drop":
                    relay!.Cut();
                    await Task.Delay(TimeSpan.FromSeconds(30));
                    relay.Restore();
                    break;
            }
        });
        await Task.WhenAll(clients.Select((client, i) => Task.Run(async () =>
        {
            var random = new Random(i);
            var session = await UntilAsync(() => client.Http.GetFromJsonAsync<ReaderSession>($"/api/reading/studies/{studyId}/session", PortalJson.Options));
            var questions = session!.Questions.Where(q => q.Kind is QuestionKind.WhichIsReal or QuestionKind.Likert or QuestionKind.YesNo).ToList();
            foreach (var trial in session.Trials.Where(t => t.Available && !t.Submitted))
            {
                await UntilAsync(() => client.Http.GetStringAsync($"/api/reading/trials/{trial.TrialId}"));
                foreach (var question in questions)
                {
                    foreach (var side in question.PerImage ? new[] { "left", "right" } : [""])
                    {
                        await Task.Delay(think * (0.5 + random.NextDouble()));
                        if (deadline.Elapsed > limit)
                        {
                            return;
                        }
                        var value = question.Kind switch
                        {
                            QuestionKind.Likert => $"{random.Next(1, 6)}",
                            QuestionKind.YesNo => random.Next(2) == 0 ? "yes" : "no",
                            _ => random.Next(2) == 0 ? "left" : "right",
                        };
                        var clock = Stopwatch.StartNew();
                        for (var attempt = 0; ; attempt++)
                        {
                            if (attempt > 0)
                            {
                                Interlocked.Increment(ref resent);
                                await Task.Delay(500);
                            }
                            try
                            {
                                using var response = await client.Http.PutAsJsonAsync($"/api/reading/trials/{trial.TrialId}/answers", new AnswerInput(question.Id, side, value));
                                if (response.StatusCode == HttpStatusCode.NoContent)
                                {
                                    latencies.Add(clock.Elapsed.TotalMilliseconds);
                                    acknowledged[(trial.TrialId, question.Id, side)] = value;
                                    break;
                                }
                            }
                            catch (HttpRequestException)
                            {
                            }
                            catch (TaskCanceledException)
                            {
                            }
                        }
                    }
                }
                await UntilAsync(() => client.Http.PostAsync($"/api/reading/trials/{trial.TrialId}/submit?seconds=30", null));
            }
        })));
        await faultThrown;
        var elapsed = deadline.Elapsed.TotalSeconds;
        var resident = portal.ResidentMegabytes;

        // The bench's own pooled connections did not live through a restart of the server.
        Npgsql.NpgsqlConnection.ClearAllPools();
        await using var db = Open(settings, data);
        var stored = await db.Answers.Where(a => a.StudyId == studyId).Select(a => new { a.TrialId, a.QuestionId, a.Side, a.Value }).ToListAsync();
        var doubled = stored.GroupBy(a => (a.TrialId, a.QuestionId, a.Side)).Count(g => g.Count() > 1);
        var byKey = stored.GroupBy(a => (a.TrialId, a.QuestionId, a.Side)).ToDictionary(g => g.Key, g => g.Last().Value);
        var lost = acknowledged.Count(a => !byKey.TryGetValue(a.Key, out var value) || value != a.Value);
        var sorted = latencies.Order().ToList();
        Console.WriteLine($"{database,-9} {readers,7} {sorted.Count,8} {sorted.Count / elapsed,6:0.0} {Percentile(sorted, 0.50),7:0.0} {Percentile(sorted, 0.95),7:0.0} {sorted.LastOrDefault(),8:0.0} {resent,7} {lost,5} {doubled,7} {resident,9:0}");
        foreach (var client in clients)
        {
            client.Dispose();
        }
        portal.Dispose();
        if (database == "postgres")
        {
            await db.Database.EnsureDeletedAsync();
        }
        try { Directory.Delete(data, recursive: true); } catch (IOException) { }
    }

    // The reading page gives up on a request after 20 s and sends it again (answers are idempotent puts).
    private static PortalClient ThroughRelay(NetworkRelay relay) =>
        new(new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
        { BaseAddress = relay.Address, Timeout = TimeSpan.FromSeconds(20) });

    /// <summary>A read or a submit, tried again every half second while the portal or its database is away (a minute at most).</summary>
    private static async Task<T?> UntilAsync<T>(Func<Task<T>> call)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var result = await call();
                if (result is not HttpResponseMessage { IsSuccessStatusCode: false })
                {
                    return result;
                }
                (result as IDisposable)?.Dispose();
            }
            catch (Exception e) when (attempt < 120 && e is HttpRequestException or TaskCanceledException)
            {
            }
            if (attempt >= 120)
            {
                return default;
            }
            await Task.Delay(500);
        }
    }

    private static double Percentile(List<double> sorted, double p) => sorted.Count == 0 ? 0 : sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(p * sorted.Count))];

    private static ReaderStudyDbContext Open(Dictionary<string, string> settings, string data) => new(settings["Database:Provider"] == "Postgres"
        ? DatabaseProvider.OptionsFor("Postgres", settings["Database:ConnectionString"])
        : DatabaseProvider.OptionsFor("Sqlite", DatabaseProvider.DefaultSqliteConnectionString(data)));

    private static async Task<Guid> DemoStudyAsync(Dictionary<string, string> settings, string data)
    {
        await using var db = Open(settings, data);
        return await db.Studies.Where(s => s.Name == "Knee T2 phantom demo").Select(s => s.Id).SingleAsync();
    }
}
