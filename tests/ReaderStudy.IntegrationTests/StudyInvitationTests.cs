using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
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
        Assert.False((await InviteAsync(coordinator, study, email, "Reader")).Joined);   // twice: still one invitation, sent last
        var open = (await coordinator.Http.GetFromJsonAsync<List<StudyInvitationView>>($"/api/studies/{study}/invitations", PortalJson.Options))!;
        Assert.Equal([(DemoUsers.Statistician, "Reader"), (email.ToUpperInvariant(), "Reader")], open.Select(i => (i.Email, i.Role)));
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

    [Fact]
    public async Task Reader_JoiningAnOpenStudy_GetsTheTrialsOpeningWouldHaveDrawn_AndNoOtherReadersTrialOrAnswerChanges()
    {
        using var coordinator = await portal.NewClient().SignedInAsAsync(DemoUsers.Coordinator);
        var study = await coordinator.CreateStudyAsync($"Late reader {Guid.NewGuid():N}"[..24]);
        await ReadableStudy.PrepareAsync(portal, study, DemoUsers.Reader2);
        await ReadableStudy.AddCaseAsync(portal, study, 2);
        await ReadableStudy.AddCaseAsync(portal, study, 3);
        Assert.Equal(HttpStatusCode.NoContent, (await coordinator.Http.PostAsJsonAsync($"/api/studies/{study}/state",
            new StudyStateChange(Core.Studies.StudyState.Open, "phantom maps of one origin in tests"), PortalJson.Options)).StatusCode);
        using (var early = await portal.NewClient().SignedInAsAsync(DemoUsers.Reader2))
        {
            var first = (await early.Http.GetFromJsonAsync<Web.Features.Reading.ReaderSession>($"/api/reading/studies/{study}/session", PortalJson.Options))!;
            var answered = await early.Http.PutAsJsonAsync($"/api/reading/trials/{first.Trials[0].TrialId}/answers",
                new Web.Features.Reading.AnswerInput(first.Questions[0].Id, "", "left"), PortalJson.Options);
            Assert.True(answered.IsSuccessStatusCode, await answered.Content.ReadAsStringAsync());
        }
        var before = await TrialsAndAnswersAsync(study);

        var joined = await InviteAsync(coordinator, study, DemoUsers.Reader1, "Reader");
        Assert.True(joined.Joined, joined.Message);
        Assert.Contains("The study is open: 3 trial(s) were drawn for them.", joined.Message);

        await using (var db = portal.NewDbContext())
        {
            var seed = await db.Studies.Where(s => s.Id == study).Select(s => s.RandomSeed).SingleAsync();
            var reader1 = await db.Users.Where(u => u.Email == DemoUsers.Reader1).Select(u => u.Id).SingleAsync();
            var cases = await db.Cases.Where(c => c.StudyId == study).OrderBy(c => c.Number).Select(c => c.Id).ToListAsync();
            var drawn = await db.Trials.Where(t => t.StudyId == study && t.ReaderId == reader1).OrderBy(t => t.Position).ToListAsync();
            // The order and the sides opening draws for this reader from the study's seed, not a new draw.
            var (order, realOnLeft) = Web.Features.Reading.Randomization.Draw(Web.Features.Reading.Randomization.ReaderSeed(seed, reader1), cases.Count);
            Assert.Equal(order.Select(i => cases[i]), drawn.Select(t => t.CaseId));
            Assert.Equal(realOnLeft, drawn.Select(t => t.RealOnLeft));
            Assert.Equal([1, 2, 3], drawn.Select(t => t.Position));
            Assert.Contains(await db.AuditLog.Where(e => e.StudyId == study).Select(e => e.Action).ToListAsync(), a => a == "trials.drawn-for-joining-reader");
        }
        var after = await TrialsAndAnswersAsync(study);
        Assert.Equal(before, after.Where(t => before.Any(b => b.Reader == t.Reader)).ToList());
        Assert.Equal(before.Count + 3, after.Count);
        Assert.Contains(before, t => t.Answers.Length > 0);
        using (var late = await portal.NewClient().SignedInAsAsync(DemoUsers.Reader1))
        {
            var session = (await late.Http.GetFromJsonAsync<Web.Features.Reading.ReaderSession>($"/api/reading/studies/{study}/session", PortalJson.Options))!;
            Assert.Equal(3, session.Trials.Count);
        }

        // Removed and added again: the reader goes on with the trials they had; nothing is drawn twice.
        var members = await MembersAsync(coordinator, study);
        var reader1Id = members.Single(m => m.Email == DemoUsers.Reader1 && m.Role == "Reader").UserId;
        Assert.Equal(HttpStatusCode.NoContent, (await coordinator.Http.DeleteAsync($"/api/studies/{study}/members/{reader1Id}/Reader")).StatusCode);
        var again = await InviteAsync(coordinator, study, DemoUsers.Reader1, "Reader");
        Assert.True(again.Joined);
        Assert.DoesNotContain("drawn", again.Message);
        Assert.Equal(after, await TrialsAndAnswersAsync(study));

        // Someone without an account, who completes it through the invitation's link, gets their trials the same way.
        var newcomer = $"late.{Guid.NewGuid():N}@hospital.test";
        var invited = await InviteAsync(coordinator, study, newcomer, "Reader");
        using (var scope = portal.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<InvitationLinks>().CompleteAsync(Secret(invited), "Dr. Late", "Late-pass-2026");
        }
        using var completed = await portal.NewClient().SignedInAsAsync(newcomer, "Late-pass-2026");
        Assert.Equal(3, (await completed.Http.GetFromJsonAsync<Web.Features.Reading.ReaderSession>($"/api/reading/studies/{study}/session", PortalJson.Options))!.Trials.Count);
        Assert.Equal(after.Count + 3, (await TrialsAndAnswersAsync(study)).Count);
    }

    [Fact]
    public async Task InvitationLink_WorksOnceForItsInvitation_NotWhenReplacedWithdrawnOrExpired_NorForACoordinatorOrAnExistingAccount()
    {
        using var coordinator = await portal.NewClient().SignedInAsAsync(DemoUsers.Coordinator);
        var studyName = $"Links {Guid.NewGuid():N}"[..24];
        var study = await coordinator.CreateStudyAsync(studyName);
        var email = $"linked.{Guid.NewGuid():N}@hospital.test";
        using var scope = portal.Services.CreateScope();
        var links = scope.ServiceProvider.GetRequiredService<InvitationLinks>();

        var first = await InviteAsync(coordinator, study, email, "Reader");
        Assert.Matches("^Account/Invitation/[0-9a-f]{64}$", first.Link);
        var second = await InviteAsync(coordinator, study, email, "Reader");
        Assert.NotEqual(first.Link, second.Link);
        Assert.Contains("replaced by a newer one", (await links.FindAsync(Secret(first))).Refusal);
        var (invitation, refusal) = await links.FindAsync(Secret(second));
        Assert.Null(refusal);
        Assert.Equal((studyName, email, "Reader", DemoUsers.Coordinator), (invitation!.Study, invitation.Email, invitation.Role, invitation.InvitedBy));
        await using (var db = portal.NewDbContext())
        {
            // The portal keeps the secret's hash, never the secret.
            var stored = await db.StudyInvitations.Where(i => i.StudyId == study).Select(i => i.LinkHash).SingleAsync();
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Secret(second)))), stored);
        }

        // A coordinator's account creates studies: that stays an administrator's decision, so no link.
        Assert.Null((await InviteAsync(coordinator, study, $"c.{Guid.NewGuid():N}@hospital.test", "Coordinator")).Link);
        // An account exists under that e-mail (without the role): the coordinator gets a link as for anyone (nothing
        // revealed), but it creates no second account.
        using (var admin = await portal.NewClient().SignedInAsAsync(DemoUsers.Admin))
        {
            Assert.Equal(HttpStatusCode.Created, (await admin.Http.PostAsJsonAsync("/api/admin/users", new NewUser($"s.{email}", "Dr. Numbers", "Statistician", "Numbers-pass-2026"))).StatusCode);
        }
        var existing = await InviteAsync(coordinator, study, $"s.{email}", "Reader");
        Assert.Contains("exists already", (await links.FindAsync(Secret(existing))).Refusal);
        await Assert.ThrowsAsync<StudyRuleException>(() => links.CompleteAsync(Secret(existing), "Someone", "Another-pass-2026"));

        await using (var db = portal.NewDbContext())
        {
            var waiting = await db.StudyInvitations.SingleAsync(i => i.StudyId == study && i.Email == email);
            waiting.InvitedAt -= InvitationLinks.ValidFor + TimeSpan.FromMinutes(1);
            await db.SaveChangesAsync();
            Assert.Contains("expired", (await links.FindAsync(Secret(second))).Refusal);
            waiting.InvitedAt += InvitationLinks.ValidFor;
            await db.SaveChangesAsync();
        }

        var created = await links.CompleteAsync(Secret(second), " Dr. Linked ", "Linked-pass-2026");
        Assert.Equal("Dr. Linked", created.DisplayName);
        Assert.Contains(await MembersAsync(coordinator, study), m => m.Email == email && m.Role == "Reader");
        Assert.Contains("has been used", (await links.FindAsync(Secret(second))).Refusal);
        await Assert.ThrowsAsync<StudyRuleException>(() => links.CompleteAsync(Secret(second), "Dr. Again", "Linked-pass-2026"));
        using (var newcomer = await portal.NewClient().SignedInAsAsync(email, "Linked-pass-2026"))
        {
            Assert.Contains((await newcomer.Http.GetFromJsonAsync<List<StudySummary>>("/api/studies", PortalJson.Options))!, s => s.Id == study);
        }
        await using (var db = portal.NewDbContext())
        {
            Assert.Contains(await db.AuditLog.Where(e => e.StudyId == study).Select(e => e.Action).ToListAsync(), a => a == "account.created-from-invitation");
        }

        var withdrawn = await InviteAsync(coordinator, study, $"w.{Guid.NewGuid():N}@hospital.test", "Statistician");
        var id = (await coordinator.Http.GetFromJsonAsync<List<StudyInvitationView>>($"/api/studies/{study}/invitations", PortalJson.Options))!.Single(i => i.Role == "Statistician").Id;
        Assert.Equal(HttpStatusCode.NoContent, (await coordinator.Http.DeleteAsync($"/api/studies/{study}/invitations/{id}")).StatusCode);
        Assert.Contains("not valid", (await links.FindAsync(Secret(withdrawn))).Refusal);
        Assert.Contains("not valid", (await links.FindAsync("not-a-secret")).Refusal);
    }

    private static string Secret(InvitationOutcome outcome) => outcome.Link!.Split('/')[^1];

    private sealed record TrialAndAnswers(string Reader, Guid Trial, Guid Case, int Position, bool RealOnLeft, string Tokens, string Answers);

    private async Task<List<TrialAndAnswers>> TrialsAndAnswersAsync(Guid study)
    {
        await using var db = portal.NewDbContext();
        var answers = await db.Answers.AsNoTracking().Where(a => db.Trials.Any(t => t.Id == a.TrialId && t.StudyId == study)).ToListAsync();
        return [.. (await db.Trials.AsNoTracking().Where(t => t.StudyId == study).ToListAsync())
            .OrderBy(t => t.ReaderId).ThenBy(t => t.Position)
            .Select(t => new TrialAndAnswers(t.ReaderId, t.Id, t.CaseId, t.Position, t.RealOnLeft, $"{t.LeftImageToken} {t.RightImageToken}",
                string.Join("; ", answers.Where(a => a.TrialId == t.Id).OrderBy(a => a.QuestionId).Select(a => $"{a.QuestionId} {a.Side} {a.Value} {a.AnsweredAt:O} {a.Revisions}"))))];
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
