using System.Net;
using Microsoft.EntityFrameworkCore;

namespace ReaderStudy.IntegrationTests;

public abstract class DatabaseTests(PortalFactory portal)
{
    [Fact]
    public async Task Migrations_AreAllAppliedAndMatchTheModel()
    {
        await using var db = portal.NewDbContext();

        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.False(db.Database.HasPendingModelChanges(), "the model has changes no migration captures: run dotnet ef migrations add");
        Assert.Equal(portal.Database == TestDatabase.Postgres ? "Npgsql.EntityFrameworkCore.PostgreSQL" : "Microsoft.EntityFrameworkCore.Sqlite", db.Database.ProviderName);
    }

    [Fact]
    public async Task HealthReady_ChecksTheDatabase()
    {
        using var client = portal.NewClient();

        var ready = await client.Http.GetAsync("/health/ready");
        var live = await client.Http.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public async Task DemoSeed_CreatesFiveAccountsAndTheDemoStudyWithItsMembers()
    {
        await using var db = portal.NewDbContext();

        var study = await db.Studies.Include(s => s.Members).SingleAsync(s => s.Name == "Knee T2 phantom demo");

        Assert.Equal(4, study.Members.Count);
        Assert.Equal(2, study.Members.Count(m => m.Role == "Reader"));
        Assert.True(await db.Users.CountAsync(u => u.Email!.EndsWith("@readerstudy.local")) == 5);
    }
}

public sealed class DatabaseOnSqlite(SqlitePortal portal) : DatabaseTests(portal), IClassFixture<SqlitePortal>
{
    [Fact]
    public async Task Sqlite_RunsInWriteAheadLogMode_AndManyConcurrentSavesAllLand()
    {
        await using var db = portal.NewDbContext();
        var mode = await db.Database.SqlQueryRaw<string>("PRAGMA journal_mode").ToListAsync();

        // Forty writers at once, each its own context, as forty readers' answer saves would be.
        await Task.WhenAll(Enumerable.Range(0, 40).Select(async i =>
        {
            await using var writer = portal.NewDbContext();
            writer.Audit("load.check", details: $"writer {i}");
            await writer.SaveChangesAsync();
        }));

        Assert.Equal(["wal"], mode);
        Assert.Equal(40, await db.AuditLog.CountAsync(a => a.Action == "load.check"));
        Assert.Empty(Core.Auditing.AuditChain.Verify(await db.AuditLog.AsNoTracking().ToListAsync()).Problems);
    }
}

public sealed class DatabaseOnPostgres(PostgresPortal portal) : DatabaseTests(portal), IClassFixture<PostgresPortal>;
