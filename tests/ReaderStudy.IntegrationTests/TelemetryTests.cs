using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using ReaderStudy.Core.Reading;
using ReaderStudy.Web.Features.Hosting;
using ReaderStudy.Web.Features.Reading;

namespace ReaderStudy.IntegrationTests;

/// <summary>
/// Metrics and traces an operator can rely on: the answers-saved counter counts what was stored (not re-sent
/// duplicates), and with OpenTelemetry:OtlpEndpoint set both reach an OTLP/HTTP receiver; without it nothing is exported.
/// </summary>
/// <remarks>
/// Alone, not beside the other tests' portals: OpenTelemetry listens to every meter named "ReaderStudy" in the process
/// and merges same-named instruments into one stream, so another test's portal disposed mid-test took this portal's
/// answers-saved stream with it (CI once waited 30 s for a counter that had been recorded). One portal a process, as
/// deployed, has no such neighbour (open-telemetry/opentelemetry-dotnet#6412).
/// </remarks>
[Collection(nameof(TelemetryTests))]
public sealed class TelemetryTests
{
    [Fact]
    public async Task AnswersSaved_CountsStoredChanges_NotTheSameAnswerSentAgain()
    {
        using var portal = new PortalFactory(TestDatabase.Sqlite);
        using var reader = await portal.NewClient().SignedInAsAsync(DemoUsers.Reader1);
        var factory = portal.Services.GetRequiredService<IMeterFactory>();
        long counted = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == factory && instrument.Name == "readerstudy.answers.saved")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref counted, value));
        listener.Start();
        var (trial, likert) = await FirstLikertAsync(portal, reader);

        foreach (var value in new[] { "2", "2", "4", "4", "4" })
        {
            (await reader.Http.PutAsJsonAsync($"/api/reading/trials/{trial}/answers", new AnswerInput(likert, "", value))).EnsureSuccessStatusCode();
        }

        Assert.Equal(2, Interlocked.Read(ref counted));
        Assert.Null(portal.Services.GetService<MeterProvider>());   // no endpoint: nothing is exported
    }

    [Fact]
    public async Task WithAnOtlpEndpoint_TracesAndMetricsReachTheCollector()
    {
        var received = new ConcurrentQueue<(string Path, byte[] Body)>();
        await using var collector = await StartCollectorAsync(received);
        var endpoint = collector.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var portal = new PortalFactory(TestDatabase.Sqlite, new Dictionary<string, string>
        {
            ["OpenTelemetry:OtlpEndpoint"] = endpoint,
            ["OpenTelemetry:MetricExportIntervalMilliseconds"] = "500",
            ["Hosting:NodeName"] = "web-telemetry",
        });
        using var reader = await portal.NewClient().SignedInAsAsync(DemoUsers.Reader1);
        var (trial, likert) = await FirstLikertAsync(portal, reader);
        (await reader.Http.PutAsJsonAsync($"/api/reading/trials/{trial}/answers", new AnswerInput(likert, "", "3"))).EnsureSuccessStatusCode();
        var secret = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        using (var visitor = portal.NewClient())
        {
            await visitor.Http.GetAsync($"/Account/Invitation/{secret}");
        }

        var metrics = await ReceivedAsync(received, "/v1/metrics", "readerstudy.answers.saved");
        var traces = await ReceivedAsync(received, "/v1/traces", "/api/reading/trials/{trialId:guid}/answers");
        await ReceivedAsync(received, "/v1/traces", "/Account/Invitation/{Secret}");
        // An invitation link's secret never leaves in a trace.
        Assert.DoesNotContain(received, r => Encoding.UTF8.GetString(r.Body).Contains(secret, StringComparison.Ordinal));

        Assert.Contains("web-telemetry", metrics, StringComparison.Ordinal);
        Assert.Contains("readerstudy.jobs.enqueued", metrics, StringComparison.Ordinal);
        Assert.Contains("PUT", traces, StringComparison.Ordinal);
    }

    private static async Task<(Guid Trial, Guid Question)> FirstLikertAsync(PortalFactory portal, PortalClient reader)
    {
        await using var db = portal.NewDbContext();
        var study = await db.Studies.Where(s => s.Name == "Knee T2 phantom demo").Select(s => s.Id).SingleAsync();
        var session = (await reader.Http.GetFromJsonAsync<ReaderSession>($"/api/reading/studies/{study}/session", PortalJson.Options))!;
        return (session.Trials[0].TrialId, session.Questions.First(q => q.Kind == QuestionKind.Likert && !q.PerImage).Id);
    }

    /// <summary>The first export to <paramref name="path"/> whose payload names <paramref name="text"/>, as text (protobuf keeps strings as UTF-8).</summary>
    private static async Task<string> ReceivedAsync(ConcurrentQueue<(string Path, byte[] Body)> received, string path, string text)
    {
        for (var wait = 0; wait < 150; wait++)
        {
            var found = received.Where(r => r.Path == path).Select(r => Encoding.UTF8.GetString(r.Body)).FirstOrDefault(b => b.Contains(text, StringComparison.Ordinal));
            if (found is not null)
            {
                return found;
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"No export to {path} named {text} within 30 s; received: {string.Join(", ", received.Select(r => $"{r.Path} ({r.Body.Length} B)"))}");
    }

    /// <summary>An OTLP/HTTP receiver on loopback that keeps every payload and answers as a collector does.</summary>
    private static async Task<WebApplication> StartCollectorAsync(ConcurrentQueue<(string Path, byte[] Body)> received)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var collector = builder.Build();
        collector.MapPost("/v1/{signal}", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            received.Enqueue((context.Request.Path.Value!, body.ToArray()));
            context.Response.ContentType = "application/x-protobuf";
        });
        await collector.StartAsync();
        return collector;
    }
}

[CollectionDefinition(nameof(TelemetryTests), DisableParallelization = true)]
public sealed class TelemetryTestsRunAlone;
