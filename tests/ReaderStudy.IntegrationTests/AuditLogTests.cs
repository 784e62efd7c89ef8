using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using ReaderStudy.Core.Auditing;
using ReaderStudy.Web.Features.Admin;
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
    public async Task AdminApi_FiltersByStudyUserKindAndTime_NamesStudies_AndExportsCsv()
    {
        using var admin = await portal.NewClient().SignedInAsAsync(DemoUsers.Admin);
        var kept = await admin.CreateStudyAsync($"Kept {Guid.NewGuid():N}");
        var gone = await admin.CreateStudyAsync($"Gone {Guid.NewGuid():N}");
        await admin.Http.PutAsJsonAsync($"/api/studies/{kept}", new StudyEdit($"Renamed {kept:N}"));
        await admin.Http.DeleteAsync($"/api/studies/{gone}");
        async Task<List<AuditRow>> Find(string query) => (await admin.Http.GetFromJsonAsync<List<AuditRow>>($"/api/admin/audit?{query}", PortalJson.Options))!;

        var ofKept = await Find($"studyId={kept}");
        var modified = await Find($"studyId={kept}&action=MODIFIED");
        var byAdmin = await Find("user=admin@&take=50");
        var ofGone = await Find($"studyId={gone}");
        var tomorrow = DateTimeOffset.UtcNow.AddDays(1).ToString("O");
        var future = await Find($"studyId={kept}&from={Uri.EscapeDataString(tomorrow)}");
        var past = await Find($"studyId={kept}&to={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-1).ToString("O"))}");

        Assert.Equal(["Study.added", "Study.modified"], ofKept.Select(r => r.Action).Order());
        Assert.All(ofKept, r => Assert.Equal($"Renamed {kept:N}", r.StudyName));
        Assert.Equal("Study.modified", Assert.Single(modified).Action);
        Assert.NotEmpty(byAdmin);
        Assert.All(byAdmin, r => Assert.Contains("admin@", r.UserName));
        Assert.Contains(ofGone, r => r.Action == "study.deleted");
        Assert.All(ofGone, r => Assert.Equal("(deleted study)", r.StudyName));
        Assert.Empty(future);
        Assert.Empty(past);

        var csv = await admin.Http.GetAsync($"/api/admin/audit.csv?studyId={kept}");
        var lines = (await csv.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Equal("id,at_utc,user,action,study_id,study,entity,details", lines[0].TrimEnd('\r'));
        Assert.Equal(3, lines.Length);
        Assert.All(lines.Skip(1), line => Assert.Matches($@"^\d+,\d{{4}}-\d\d-\d\dT[\d:.]+Z,{DemoUsers.Admin},Study\.(added|modified),{kept},Renamed {kept:N},", line));
        using var reader = await portal.NewClient().SignedInAsAsync(DemoUsers.Reader1);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.Http.GetAsync("/api/admin/audit.csv")).StatusCode);
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

    [Fact]
    public async Task AuditChain_AfterSeedingAndAnAccountWithARole_IsIntact()
    {
        // Creating an account saves the user's change and its role in one save: the rows the chain was sealed in and
        // the order they were inserted in once differed there, and every later row forked the chain.
        using var admin = await portal.NewClient().SignedInAsAsync(DemoUsers.Admin);
        var created = await admin.Http.PostAsJsonAsync("/api/admin/users", new NewUser($"chain-{Guid.NewGuid():N}@hospital.example", "Chain Check", "Reader", "Chain-check-pass-2026"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await using var db = portal.NewDbContext();

        var verification = AuditChain.Verify(await db.AuditLog.AsNoTracking().ToListAsync());

        Assert.Empty(verification.Problems);
        Assert.True(verification.Rows > 20, $"{verification.Rows} sealed rows");
    }
}

public sealed class AuditLogOnSqlite(SqlitePortal portal) : AuditLogTests(portal), IClassFixture<SqlitePortal>;

public sealed class AuditLogOnPostgres(PostgresPortal portal) : AuditLogTests(portal), IClassFixture<PostgresPortal>;
