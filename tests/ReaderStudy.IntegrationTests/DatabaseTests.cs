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

public sealed class DatabaseOnSqlite(SqlitePortal portal) : DatabaseTests(portal), IClassFixture<SqlitePortal>;

public sealed class DatabaseOnPostgres(PostgresPortal portal) : DatabaseTests(portal), IClassFixture<PostgresPortal>;
