using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ReaderStudy.Core.Data;
using ReaderStudy.Web.Features.Health;

namespace ReaderStudy.Web.Features.Data;

public static class DataExtensions
{
    public static WebApplicationBuilder AddReaderStudyData(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.Provider != "Postgres" || !string.IsNullOrWhiteSpace(o.ConnectionString),
                "Database:ConnectionString is required when Database:Provider is 'Postgres'.")
            .ValidateOnStart();
        builder.Services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();

        // Scoped, so each context is built in the caller's scope and audits the caller (request or circuit user).
        builder.Services.AddDbContextFactory<ReaderStudyDbContext>((services, options) =>
        {
            var database = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            var connectionString = string.IsNullOrWhiteSpace(database.ConnectionString)
                ? DatabaseProvider.DefaultSqliteConnectionString(services.GetRequiredService<DataFolder>().Path)
                : database.ConnectionString;
            options.UseReaderStudyDatabase(database.Provider, connectionString);
        }, ServiceLifetime.Scoped);
        builder.Services.AddSingleton<DataFolder>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddScoped<StartupSeeder>();
        builder.Services.AddScoped<DemoOtherKinds>();
        builder.Services.AddScoped<DemoStudySetup>();
        builder.Services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.Section).ValidateDataAnnotations();
        builder.Services.AddReaderStudyHealth();
        return builder;
    }

    /// <summary>Applies pending migrations, then creates the roles and, where enabled, the demo accounts and study.</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<ReaderStudyDbContext>>().CreateDbContextAsync();
        await db.Database.MigrateAsync();
        if (db.Database.IsSqlite())
        {
            // Write-ahead logging: reading a case never waits for another reader's save, nor a save for a read.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        }
        await scope.ServiceProvider.GetRequiredService<StartupSeeder>().SeedAsync();
    }
}
