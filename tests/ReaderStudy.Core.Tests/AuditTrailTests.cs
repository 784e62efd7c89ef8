using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using ReaderStudy.Core.Auditing;
using ReaderStudy.Core.Data;
using ReaderStudy.Core.Studies;

namespace ReaderStudy.Core.Tests;

public sealed class AuditTrailTests : IDisposable
{
    private readonly SqliteConnection connection = new("Data Source=:memory:;Foreign Keys=True");
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 26, 9, 30, 0, TimeSpan.Zero));

    public AuditTrailTests()
    {
        connection.Open();
        using var db = NewContext(new SystemActor("setup"));
        db.Database.EnsureCreated();
    }

    private ReaderStudyDbContext NewContext(IAuditActor actor) =>
        new((DbContextOptions<ReaderStudyDbContext>)new DbContextOptionsBuilder<ReaderStudyDbContext>().UseSqlite(connection).Options, actor, clock);

    private sealed record Person(string? UserId, string UserName) : IAuditActor;

    [Fact]
    public void SaveChanges_NewStudyWithMember_WritesOneEntryEachWithActorTimeAndStudy()
    {
        using var db = NewContext(new Person("u-42", "cora@hospital.test"));
        var study = new Study { Name = "Hip T2", CreatedAt = clock.GetUtcNow() };
        db.Studies.Add(study);
        db.SaveChanges();
        db.StudyMembers.Add(new StudyMember { StudyId = study.Id, UserId = SeedUser(db), Role = "Reader" });
        db.SaveChanges();

        var entries = db.AuditLog.Where(e => e.StudyId == study.Id).OrderBy(e => e.Id).ToList();

        Assert.Equal(["Study.added", "StudyMember.added"], entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal(("u-42", "cora@hospital.test", clock.GetUtcNow()), (e.UserId, e.UserName, e.At)));
        Assert.Equal(study.Id.ToString(), entries[0].EntityKey);
    }

    [Fact]
    public void SaveChanges_Modification_ListsChangedPropertiesOnly()
    {
        using var db = NewContext(new SystemActor());
        var study = new Study { Name = "Ankle T2", CreatedAt = clock.GetUtcNow() };
        db.Studies.Add(study);
        db.SaveChanges();

        study.State = StudyState.Open;
        study.Description = "now open";
        db.SaveChanges();

        var modified = db.AuditLog.Single(e => e.StudyId == study.Id && e.Action == "Study.modified");
        Assert.Equal("Description,State", modified.Details);
        Assert.Equal("system", modified.UserName);
        Assert.Null(modified.UserId);
    }

    [Fact]
    public void Audit_ExplicitAction_IsSavedWithTheNextSave()
    {
        using var db = NewContext(new Person("u-1", "stan@hospital.test"));

        db.Audit("results.exported", details: "csv");
        db.SaveChanges();

        var entry = db.AuditLog.Single(e => e.Action == "results.exported");
        Assert.Equal(("stan@hospital.test", "csv"), (entry.UserName, entry.Details));
    }

    [Fact]
    public void SaveChanges_ChangedAuditEntry_IsRefused()
    {
        using var db = NewContext(new SystemActor());
        db.Audit("something");
        db.SaveChanges();
        var entry = db.AuditLog.Single(e => e.Action == "something");

        entry.Action = "something else";

        Assert.Throws<InvalidOperationException>(() => db.SaveChanges());
    }

    private static string SeedUser(ReaderStudyDbContext db)
    {
        var user = new Accounts.PortalUser { UserName = "r@h.test", Email = "r@h.test" };
        db.Users.Add(user);
        db.SaveChanges();
        return user.Id;
    }

    public void Dispose() => connection.Dispose();
}
