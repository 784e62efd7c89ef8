using System.Diagnostics.Metrics;
using Hangfire;

namespace ReaderStudy.Web.Features.Hosting;

/// <summary>
/// What an operator watches, as OpenTelemetry metrics of the meter "ReaderStudy": answers saved, how long synthesis
/// of a subject took and on which provider, and how many synthesis jobs wait in the queue.
/// </summary>
public sealed class PortalMetrics
{
    public const string MeterName = "ReaderStudy";

    private readonly Counter<long> answersSaved;
    private readonly Histogram<double> synthesisSeconds;

    public PortalMetrics(IMeterFactory meters, IServiceProvider services)
    {
        var meter = meters.Create(MeterName);
        answersSaved = meter.CreateCounter<long>("readerstudy.answers.saved", unit: "{answer}", description: "Answers stored (new or changed)");
        synthesisSeconds = meter.CreateHistogram<double>("readerstudy.synthesis.duration", unit: "s", description: "One subject's synthetic map: reading, inference and writing");
        meter.CreateObservableGauge("readerstudy.jobs.enqueued", () => EnqueuedJobs(services), unit: "{job}", description: "Background jobs waiting for a worker");
    }

    public void AnswerSaved() => answersSaved.Add(1);

    public void SubjectSynthesized(string provider, double seconds) =>
        synthesisSeconds.Record(seconds, new KeyValuePair<string, object?>("provider", provider));

    // Read when the metrics are collected (every export interval), not on each request.
    private static long EnqueuedJobs(IServiceProvider services)
    {
        try
        {
            return services.GetRequiredService<JobStorage>().GetMonitoringApi().EnqueuedCount("default");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return -1;   // the database is away; the health check says so
        }
    }
}
