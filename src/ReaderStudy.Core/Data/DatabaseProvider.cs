using Microsoft.EntityFrameworkCore;

namespace ReaderStudy.Core.Data;

/// <summary>Points EF Core at the configured engine and at that engine's migrations assembly.</summary>
public static class DatabaseProvider
{
    public const string SqliteMigrationsAssembly = "ReaderStudy.Migrations.Sqlite";
    public const string PostgresMigrationsAssembly = "ReaderStudy.Migrations.Postgres";

    public static DbContextOptionsBuilder UseReaderStudyDatabase(this DbContextOptionsBuilder options, string provider, string connectionString) =>
        (provider switch
        {
            "Sqlite" => options.UseSqlite(connectionString, o => o.MigrationsAssembly(SqliteMigrationsAssembly)),
            "Postgres" => options.UseNpgsql(connectionString, o => o.MigrationsAssembly(PostgresMigrationsAssembly)),
            _ => throw new InvalidOperationException($"Database:Provider '{provider}' is not supported: use 'Sqlite' or 'Postgres'."),
        })
        // A failed save or command surfaces as an exception where it is handled (a double-save race, a retried
        // transient fault) and is logged there, once; EF's own copy at Error level would flood the log with handled races.
        .ConfigureWarnings(w => w.Log(
            (Microsoft.EntityFrameworkCore.Diagnostics.CoreEventId.SaveChangesFailed, Microsoft.Extensions.Logging.LogLevel.Debug),
            (Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.CommandError, Microsoft.Extensions.Logging.LogLevel.Debug)));

    /// <summary>Options for a context built outside dependency injection (design time, command line, tests).</summary>
    public static DbContextOptions<ReaderStudyDbContext> OptionsFor(string provider, string connectionString) =>
        (DbContextOptions<ReaderStudyDbContext>)new DbContextOptionsBuilder<ReaderStudyDbContext>()
            .UseReaderStudyDatabase(provider, connectionString).Options;

    /// <summary>The SQLite file used when no connection string is configured.</summary>
    public static string DefaultSqliteConnectionString(string dataFolder) =>
        $"Data Source={Path.Combine(dataFolder, "readerstudy.db")};Foreign Keys=True";
}
