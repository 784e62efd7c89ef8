using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using ReaderStudy.Core.Auditing;
using ReaderStudy.Web.Features.Studies;

namespace ReaderStudy.IntegrationTests;

public abstract class AuditLogTests(PortalFactory portal)
{
    [Fact]
    public async Task EveryWrite_ThroughTheApi_IsInTheAuditLogWithItsActorAndStudy()
    {
        using var coordinator = await portal.NewClient().SignedInAsAsync(DemoUsers.Coordinator);
        var created = await coordinator.Http.PostAsJsonAsync("/api/studies", new NewStudy($"Audit {Guid.NewGuid():N}", ""));
        var study = (await created.Content.ReadFromJsonAsync<StudySummary>(PortalJson.Options))!;
        await coordinator.Http.PostAsJsonAsync($"/api/studies/{study.Id}/members", new NewStudyMember(DemoUsers.Reader1, "Reader"));
        await using var db = portal.NewDbContext();
        var reader1 = await db.Users.SingleAsync(u => u.Email == DemoUsers.Reader1);
        await coordinator.Http.DeleteAsync($"/api/studies/{study.Id}/members/{reader1.Id}/Reader");
        await ReadableStudy.PrepareAsync(portal, study.Id, DemoUsers.Reader1);
        var prepared = await db.AuditLog.Where(e => e.StudyId == study.Id).MaxAsync(e => e.Id);
        await coordinator.Http.PostAsJsonAsync($"/api/studies/{study.Id}/state", new StudyStateChange(Core.Studies.StudyState.Open));

        var entries = await db.AuditLog.Where(e => e.StudyId == study.Id && (e.Id < 0 || e.UserName == DemoUsers.Coordinator)).OrderBy(e => e.Id).ToListAsync();

        Assert.Equal(["Study.added", "StudyMember.added", "StudyMember.added", "StudyMember.deleted"], entries.Take(4).Select(e => e.Action));
        Assert.Equal(["Study.modified", "Trial.added"], entries.Skip(4).Select(e => e.Action).Order());
        Assert.All(entries, e => Assert.NotNull(e.UserId));
        Assert.Equal("BlindingVerdict,State", entries.Single(e => e.Action == "Study.modified").Details);
        Assert.All(entries.Where(e => e.Id > prepared), e => Assert.Equal(DemoUsers.Coordinator, e.UserName));
    }

    [Fact]
    public async Task AdminApi_ListsAuditEntriesOfAStudy()
    {
        using var admin = await portal.NewClient().SignedInAsAsync(DemoUsers.Admin);
        var created = await admin.Http.PostAsJsonAsync("/api/studies", new NewStudy($"Audit list {Guid.NewGuid():N}", ""));
        var study = (await created.Content.ReadFromJsonAsync<StudySummary>(PortalJson.Options))!;

        var entries = await admin.Http.GetFromJsonAsync<List<AuditEntry>>($"/api/admin/audit?studyId={study.Id}", PortalJson.Options);

        var entry = Assert.Single(entries!);
        Assert.Equal("Study.added", entry.Action);
        Assert.Equal(DemoUsers.Admin, entry.UserName);
    }

    [Fact]
    public async Task FailedSignIn_IsAudited()
    {
        using var client = portal.NewClient();
        var email = $"nobody-{Guid.NewGuid():N}@hospital.test";

        await client.SignInAsync(email, "Whatever-123!");

        await using var db = portal.NewDbContext();
        var entry = await db.AuditLog.SingleAsync(e => e.Details == email);
        Assert.Equal("account.sign-in-failed", entry.Action);
        Assert.Equal("anonymous", entry.UserName);
    }

    [Fact]
    public async Task AuditEntries_CannotBeChangedOrDeleted()
    {
        await using var db = portal.NewDbContext();
        var entry = await db.AuditLog.OrderBy(e => e.Id).FirstAsync();

        entry.Details = "tampered";
        var change = await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
        Assert.Contains("append-only", change.Message);

        db.ChangeTracker.Clear();
        db.AuditLog.Remove(await db.AuditLog.OrderBy(e => e.Id).FirstAsync());
        await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
    }
}

public sealed class AuditLogOnSqlite(SqlitePortal portal) : AuditLogTests(portal), IClassFixture<SqlitePortal>;

public sealed class AuditLogOnPostgres(PostgresPortal portal) : AuditLogTests(portal), IClassFixture<PostgresPortal>;
