using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using ReaderStudy.Web.Features.Admin;
using ReaderStudy.Web.Features.Studies;

namespace ReaderStudy.IntegrationTests;

/// <summary>
/// A coordinator invites someone who has no account yet: the invitation waits, says the same whether the account is
/// missing or lacks the role, and becomes the membership the moment an administrator creates the account or gives
/// it the role; the coordinator can withdraw it; nobody else can invite.
/// </summary>
public abstract class StudyInvitationTests(PortalFactory portal)
{
    [Fact]
    public async Task Invitation_OfSomeoneWithoutAnAccount_WaitsUntilAnAdministratorCreatesIt_ThenTheyAreAMember()
    {
        using var coordinator = await portal.NewClient().SignedInAsAsync(DemoUsers.Coordinator);
        using var admin = await portal.NewClient().SignedInAsAsync(DemoUsers.Admin);
        var study = await coordinator.CreateStudyAsync($"Invitations {Guid.NewGuid():N}"[..24]);
        var email = $"dr.new.{Guid.NewGuid():N}@hospital.test";

        var invited = await InviteAsync(coordinator, study, email.ToUpperInvariant(), "Reader");
        Assert.False(invited.Joined);
        Assert.Contains("when an administrator creates an account under that e-mail or gives it the Reader role", invited.Message);
        // Someone with an account but not that role is told exactly the same, so invitations reveal no accounts.
        var statistician = await InviteAsync(coordinator, study, DemoUsers.Statistician, "Reader");
        Assert.Equal(invited.Message.Replace(email.ToUpperInvariant(), "X"), statistician.Message.Replace(DemoUsers.Statistician, "X"));
        Assert.False((await InviteAsync(coordinator, study, email, "Reader")).Joined);   // twice: still one invitation
        var open = (await coordinator.Http.GetFromJsonAsync<List<StudyInvitationView>>($"/api/studies/{study}/invitations", PortalJson.Options))!;
        Assert.Equal([(email.ToUpperInvariant(), "Reader"), (DemoUsers.Statistician, "Reader")], open.Select(i => (i.Email, i.Role)));
        Assert.DoesNotContain(await MembersAsync(coordinator, study), m => m.Email == email);
        Assert.Contains((await admin.Http.GetFromJsonAsync<List<StudyInvitationView>>("/api/admin/invitations", PortalJson.Options))!, i => i.Email == email.ToUpperInvariant() && i.StudyId == study);

        var created = await admin.Http.PostAsJsonAsync("/api/admin/users", new NewUser(email, "Dr. New", "Reader", "Invited-pass-2026"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        Assert.Contains(await MembersAsync(coordinator, study), m => m.Email == email && m.Role == "Reader");
        Assert.Equal([DemoUsers.Statistician], (await coordinator.Http.GetFromJsonAsync<List<StudyInvitationView>>($"/api/studies/{study}/invitations", PortalJson.Options))!.Select(i => i.Email));
        using (var newcomer = await portal.NewClient().SignedInAsAsync(email, "Invited-pass-2026"))
        {
            Assert.Contains((await newcomer.Http.GetFromJsonAsync<List<StudySummary>>("/api/studies", PortalJson.Options))!, s => s.Id == study);
        }

        // The statistician's invitation waits for the Reader role; given it, the statistician joins.
        var statisticianId = (await admin.Http.GetFromJsonAsync<List<UserView>>("/api/admin/users", PortalJson.Options))!.Single(u => u.Email == DemoUsers.Statistician).Id;
        (await admin.Http.PutAsJsonAsync($"/api/admin/users/{statisticianId}/roles", new RolesChange(["Statistician", "Reader"]))).EnsureSuccessStatusCode();
        Assert.Contains(await MembersAsync(coordinator, study), m => m.Email == DemoUsers.Statistician && m.Role == "Reader");
        Assert.Empty((await coordinator.Http.GetFromJsonAsync<List<StudyInvitationView>>($"/api/studies/{study}/invitations", PortalJson.Options))!);
    }

    [Fact]
    public async Task Invitation_OfSomeoneInTheRole_JoinsAtOnce_AWaitingOneCanBeWithdrawn_AndOnlyCoordinatorsInvite()
    {
        using var coordinator = await portal.NewClient().SignedInAsAsync(DemoUsers.Coordinator);
        var study = await coordinator.CreateStudyAsync($"Invitations {Guid.NewGuid():N}"[..24]);

        var joined = await InviteAsync(coordinator, study, DemoUsers.Reader2, "Reader");
        Assert.True(joined.Joined, joined.Message);
        Assert.Contains(await MembersAsync(coordinator, study), m => m.Email == DemoUsers.Reader2);

        var waiting = $"later.{Guid.NewGuid():N}@hospital.test";
        await InviteAsync(coordinator, study, waiting, "Statistician");
        var invitation = Assert.Single((await coordinator.Http.GetFromJsonAsync<List<StudyInvitationView>>($"/api/studies/{study}/invitations", PortalJson.Options))!);
        Assert.Equal(HttpStatusCode.NoContent, (await coordinator.Http.DeleteAsync($"/api/studies/{study}/invitations/{invitation.Id}")).StatusCode);
        Assert.Empty((await coordinator.Http.GetFromJsonAsync<List<StudyInvitationView>>($"/api/studies/{study}/invitations", PortalJson.Options))!);

        foreach (var (email, role, why) in new[] { ("x@hospital.test", "Admin", "not a study role"), ("not-an-address", "Reader", "is not an e-mail address") })
        {
            var refused = await coordinator.Http.PostAsJsonAsync($"/api/studies/{study}/invitations", new NewStudyMember(email, role), PortalJson.Options);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains(why, await refused.Content.ReadAsStringAsync());
        }
        using var reader = await portal.NewClient().SignedInAsAsync(DemoUsers.Reader1);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.Http.PostAsJsonAsync($"/api/studies/{study}/invitations", new NewStudyMember("y@hospital.test", "Reader"), PortalJson.Options)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.Http.GetAsync("/api/admin/invitations")).StatusCode);
        await using var db = portal.NewDbContext();
        Assert.True(await db.AuditLog.AnyAsync(e => e.StudyId == study && e.Action.StartsWith("StudyInvitation.")));
    }

    private static async Task<InvitationOutcome> InviteAsync(PortalClient coordinator, Guid study, string email, string role)
    {
        var response = await coordinator.Http.PostAsJsonAsync($"/api/studies/{study}/invitations", new NewStudyMember(email, role), PortalJson.Options);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<InvitationOutcome>(PortalJson.Options))!;
    }

    private static async Task<List<StudyMemberView>> MembersAsync(PortalClient coordinator, Guid study) =>
        (await coordinator.Http.GetFromJsonAsync<List<StudyMemberView>>($"/api/studies/{study}/members", PortalJson.Options))!;
}

public sealed class StudyInvitationOnSqlite(SqlitePortal portal) : StudyInvitationTests(portal), IClassFixture<SqlitePortal>;

public sealed class StudyInvitationOnPostgres(PostgresPortal portal) : StudyInvitationTests(portal), IClassFixture<PostgresPortal>;
