using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Polly;
using Polly.Retry;

namespace ReaderStudy.Core.Data;

/// <summary>
/// Runs a unit of work again when the database failed for a passing reason (a restart, a dropped connection, a
/// busy SQLite file). A unit opens its own context and is idempotent by construction (answers are keyed by trial,
/// question and side), so running it twice stores it once. About 15 s of retries covers a PostgreSQL restart.
/// </summary>
public static class DatabaseRetry
{
    private static readonly ResiliencePipeline Pipeline = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
            MaxRetryAttempts = 10,
            BackoffType = DelayBackoffType.Exponential,
            Delay = TimeSpan.FromMilliseconds(200),
            MaxDelay = TimeSpan.FromSeconds(2),
            UseJitter = true,
        })
        .Build();

    public static async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> unit, CancellationToken cancellationToken = default) =>
        await Pipeline.ExecuteAsync(async token => await unit(token), cancellationToken);

    public static async Task RunAsync(Func<CancellationToken, Task> unit, CancellationToken cancellationToken = default) =>
        await Pipeline.ExecuteAsync(async token => await unit(token), cancellationToken);

    /// <summary>A failure that the same request may not meet a moment later.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        NpgsqlException npgsql => npgsql.IsTransient,
        SqliteException sqlite => sqlite.SqliteErrorCode is 5 or 6,
        TimeoutException => true,
        // EF's own wrapper: "An exception has been raised that is likely due to a transient failure."
        InvalidOperationException when exception.Message.Contains("transient failure", StringComparison.Ordinal) => true,
        _ => exception.InnerException is { } inner && IsTransient(inner),
    };
}
