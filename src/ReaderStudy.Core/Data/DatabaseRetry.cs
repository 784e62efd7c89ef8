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
    private static readonly ResiliencePipeline Pipeline = Retrying(IsTransient);

    // For units that are not idempotent (creating a study, adding a question): only failures that prove nothing
    // reached the database are retried, so a lost acknowledgement can never store a thing twice.
    private static readonly ResiliencePipeline Unsent = Retrying(IsUnsent);

    private static ResiliencePipeline Retrying(Func<Exception, bool> handles) => new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(handles),
            MaxRetryAttempts = 10,
            BackoffType = DelayBackoffType.Exponential,
            Delay = TimeSpan.FromMilliseconds(200),
            MaxDelay = TimeSpan.FromSeconds(2),
            UseJitter = true,
        })
        .Build();

    public static async Task<T> RunUnsentAsync<T>(Func<CancellationToken, Task<T>> unit, CancellationToken cancellationToken = default) =>
        await Unsent.ExecuteAsync(async token => await unit(token), cancellationToken);

    public static async Task RunUnsentAsync(Func<CancellationToken, Task> unit, CancellationToken cancellationToken = default) =>
        await Unsent.ExecuteAsync(async token => await unit(token), cancellationToken);

    /// <summary>
    /// Nothing was written: the database could not be reached (no connection, too many, a server starting), or the
    /// server ended the connection (shutdown) instead of completing the command, which rolls its transaction back; or
    /// SQLite was busy. Units that use these retries save once, so no earlier transaction of theirs can have committed.
    /// </summary>
    public static bool IsUnsent(Exception exception) => exception switch
    {
        PostgresException postgres => postgres.SqlState is "57P01" or "57P02" or "57P03" or "53300",
        NpgsqlException npgsql when npgsql.Message.StartsWith("Failed to connect", StringComparison.Ordinal) => true,
        SqliteException sqlite => sqlite.SqliteErrorCode is 5 or 6,
        _ => exception.InnerException is { } inner && IsUnsent(inner),
    };

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
