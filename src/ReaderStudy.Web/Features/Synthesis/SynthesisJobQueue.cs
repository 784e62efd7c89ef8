using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.Extensions.Options;
using ReaderStudy.Core.Data;
using ReaderStudy.Web.Features.Hosting;

namespace ReaderStudy.Web.Features.Synthesis;

/// <summary>
/// Hangfire runs synthesis batches. On PostgreSQL the queue lives in the database (schema "hangfire"), so it
/// survives restarts and several portal processes share it. On the embedded SQLite default the queue is in
/// memory and, on start-up, every unfinished batch is queued again from the batches table.
/// </summary>
public static class SynthesisJobQueue
{
    public static void AddSynthesisJobQueue(this WebApplicationBuilder builder)
    {
        // The storage is this host's own service, never Hangfire's static JobStorage.Current: otherwise two portals
        // in one process (the tests) would share, and race for, whichever storage was configured last.
        builder.Services.AddSingleton<JobStorage>(services =>
        {
            var database = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            if (!Durable(database))
            {
                return new InMemoryStorage();
            }
            // A job whose worker process died (killed, power lost) is handed to another worker once it has not been
            // heard of for this long; the sliding timeout keeps a long-running job of a live worker from being handed out twice.
            var abandonedAfter = services.GetRequiredService<IConfiguration>().GetValue("Synthesis:AbandonedJobTimeout", TimeSpan.FromSeconds(30));
            var options = new PostgreSqlStorageOptions
            {
                SchemaName = "hangfire",
                QueuePollInterval = TimeSpan.FromSeconds(1),
                PrepareSchemaIfNecessary = true,
                InvisibilityTimeout = abandonedAfter,
                UseSlidingInvisibilityTimeout = true,
            };
            return new PostgreSqlStorage(new NpgsqlConnectionFactory(database.ConnectionString!, options), options);
        });
        builder.Services.AddSingleton<JobActivator>(services => new AspNetCoreJobActivator(services.GetRequiredService<IServiceScopeFactory>()));
        builder.Services.AddHangfire(config => config.UseSimpleAssemblyNameTypeSerializer().UseRecommendedSerializerSettings());
        builder.Services.AddHostedService<ResumeBatchesOnStart>();
        var hosting = builder.Configuration.GetSection(HostingOptions.Section).Get<HostingOptions>() ?? new HostingOptions();
        if (!hosting.RunsJobs)
        {
            return;   // a web process only queues batches; the workers on the same database run them
        }
        builder.Services.AddHangfireServer((services, o) =>
        {
            o.WorkerCount = services.GetRequiredService<IConfiguration>().GetValue("Synthesis:Workers", 1);
            // Likewise the activator: Hangfire would otherwise take its static JobActivator.Current, which the last
            // host configured, and run this host's jobs in another (perhaps disposed) host's services and database.
            o.Activator = services.GetRequiredService<JobActivator>();
        });
    }

    private static bool Durable(DatabaseOptions database) => database.Provider == "Postgres";

    private sealed class ResumeBatchesOnStart(IServiceScopeFactory scopes, IOptions<DatabaseOptions> database, ILogger<ResumeBatchesOnStart> logger) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            if (Durable(database.Value))
            {
                return;   // the PostgreSQL queue kept its jobs
            }
            await using var scope = scopes.CreateAsyncScope();
            var queued = await scope.ServiceProvider.GetRequiredService<SynthesisBatches>().ResumeAsync(cancellationToken);
            var fits = await scope.ServiceProvider.GetRequiredService<T2Fitting.T2FitBatches>().ResumeAsync(cancellationToken);
            if (queued + fits > 0)
            {
                logger.LogInformation("Queued {Count} subject(s) of unfinished synthesis batches and {Fits} of T2 fit batches again", queued, fits);
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
