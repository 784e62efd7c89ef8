using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.Extensions.Options;
using ReaderStudy.Core.Data;

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
        // Read when the services are built, not now: tests and deployments may set the database after this runs.
        builder.Services.AddHangfire((services, config) =>
        {
            var database = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            config.UseSimpleAssemblyNameTypeSerializer().UseRecommendedSerializerSettings();
            if (Durable(database))
            {
                config.UsePostgreSqlStorage(o => o.UseNpgsqlConnection(database.ConnectionString),
                    new PostgreSqlStorageOptions { SchemaName = "hangfire", QueuePollInterval = TimeSpan.FromSeconds(1), PrepareSchemaIfNecessary = true });
            }
            else
            {
                config.UseInMemoryStorage();
            }
        });
        builder.Services.AddHangfireServer((services, o) => o.WorkerCount = services.GetRequiredService<IConfiguration>().GetValue("Synthesis:Workers", 1));
        builder.Services.AddHostedService<ResumeBatchesOnStart>();
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
            if (queued > 0)
            {
                logger.LogInformation("Queued {Count} subject(s) of unfinished synthesis batches again", queued);
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
