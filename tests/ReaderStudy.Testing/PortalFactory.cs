using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ReaderStudy.Core.Data;

namespace ReaderStudy.Testing;

/// <summary>The whole portal, through its real HTTP pipeline, on a fresh real database and data folder.</summary>
public class PortalFactory(TestDatabase database, IReadOnlyDictionary<string, string>? settings = null) : WebApplicationFactory<Program>
{
    public string DataFolder { get; } = Directory.CreateTempSubdirectory("readerstudy-test-").FullName;

    public TestDatabase Database => database;

    private readonly string connectionString = database == TestDatabase.Postgres ? PostgresServer.NewDatabase() : "";

    /// <summary>The PostgreSQL database this portal was given (empty on SQLite), for a second portal on the same one.</summary>
    public string ConnectionString => connectionString;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Demo");
        builder.UseSetting("Database:Provider", database.ToString());
        builder.UseSetting("Database:ConnectionString", connectionString);
        builder.UseSetting("Storage:DataFolder", DataFolder);
        builder.UseSetting("Demo:Seed", "true");
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        // A small demo phantom keeps start-up quick; tests that need more make their own.
        builder.UseSetting("Demo:PhantomSubjects", "2");
        builder.UseSetting("Demo:PhantomSize", "64");
        builder.UseSetting("Demo:PhantomSlices", "4");
        // The CT and mammography demo studies only where a test asks for them (OtherKindsPortal).
        builder.UseSetting("Demo:OtherKinds", "false");
        // Every test client comes from the same (unknown) address; the rate-limit tests set their own limits.
        builder.UseSetting("RateLimits:SignInsPerMinute", "100000");
        builder.UseSetting("RateLimits:UploadsPerMinute", "100000");
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>A context on the portal's database, acting as the system, for arranging and checking data.</summary>
    public ReaderStudyDbContext NewDbContext() =>
        Services.CreateScope().ServiceProvider.GetRequiredService<IDbContextFactory<ReaderStudyDbContext>>().CreateDbContext();

    public PortalClient NewClient() =>
        new(CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && database == TestDatabase.Postgres)
        {
            DropDatabase();
        }
        // A factory whose constructor threw is finalized without a data folder.
        if (DataFolder is not null)
        {
            try { Directory.Delete(DataFolder, recursive: true); } catch (IOException) { }
        }
    }

    private void DropDatabase()
    {
        using var db = new ReaderStudyDbContext(DatabaseProvider.OptionsFor("Postgres", connectionString));
        db.Database.EnsureDeleted();
    }
}
