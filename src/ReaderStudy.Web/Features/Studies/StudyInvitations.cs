using Microsoft.EntityFrameworkCore;
using ReaderStudy.Core.Accounts;
using ReaderStudy.Core.Data;
using ReaderStudy.Core.Studies;

namespace ReaderStudy.Web.Features.Studies;

/// <summary>An invitation still waiting for its account or role, as coordinators and administrators see it.</summary>
public sealed record StudyInvitationView(Guid Id, Guid StudyId, string Study, string Email, string Role, string InvitedBy, DateTimeOffset InvitedAt);

/// <summary>
/// What inviting did: joined at once, or waiting. <paramref name="Link"/>: the portal-relative address with which the
/// person completes their own account (readers and statisticians), shown to the coordinator this once.
/// </summary>
public sealed record InvitationOutcome(bool Joined, string Message, string? Link = null);

/// <summary>
/// Inviting people to a study by e-mail. Someone with an account in that role joins at once; anyone else (no account,
/// or not in that role: the coordinator is told the same either way) gets an invitation that turns into the
/// membership when an administrator creates the account or gives it the role, or, for a reader or a statistician,
/// when the person completes their account through the invitation's link (<see cref="InvitationLinks"/>). Audited;
/// withdrawn by the coordinator.
/// </summary>
public sealed class StudyInvitations(IDbContextFactory<ReaderStudyDbContext> dbFactory, TimeProvider clock)
{
    public Task<InvitationOutcome> InviteAsync(Guid studyId, NewStudyMember request, string invitedBy, CancellationToken cancellationToken = default) =>
        DatabaseRetry.RunUnsentAsync(ct => InviteOnceAsync(studyId, request, invitedBy, ct), cancellationToken);

    private async Task<InvitationOutcome> InviteOnceAsync(Guid studyId, NewStudyMember request, string invitedBy, CancellationToken cancellationToken)
    {
        RequireStudyRole(request.Role);
        var email = request.Email.Trim();
        if (email.Length is < 3 or > 256 || email.Count(c => c == '@') != 1 || email.StartsWith('@') || email.EndsWith('@'))
        {
            throw new StudyRuleException($"'{email}' is not an e-mail address.");
        }
        var normalized = email.ToUpperInvariant();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var userId = await UserInRoleAsync(db, normalized, request.Role, cancellationToken);
        if (userId is not null)
        {
            var drawn = await JoinAsync(db, studyId, userId, request.Role, clock.GetUtcNow(), cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            return new InvitationOutcome(true, $"{email} joined as {request.Role}." + (drawn > 0 ? $" The study is open: {drawn} trial(s) were drawn for them." : ""));
        }
        var invitation = await db.StudyInvitations.SingleOrDefaultAsync(i => i.StudyId == studyId && i.NormalizedEmail == normalized && i.Role == request.Role && i.JoinedAt == null, cancellationToken);
        if (invitation is null)
        {
            invitation = new StudyInvitation { StudyId = studyId, Email = email, NormalizedEmail = normalized, Role = request.Role };
            db.StudyInvitations.Add(invitation);
        }
        (invitation.InvitedBy, invitation.InvitedAt) = (invitedBy, clock.GetUtcNow());
        var waits = $"{email} is invited as {request.Role}. The invitation becomes a membership when an administrator creates "
            + $"an account under that e-mail or gives it the {request.Role} role.";
        if (!InvitationLinks.MayComplete(request.Role))
        {
            await db.SaveChangesAsync(cancellationToken);
            return new InvitationOutcome(false, waits);
        }
        // Inviting again makes a new link: the one sent before stops working.
        var secret = InvitationLinks.NewSecret();
        invitation.LinkHash = InvitationLinks.Hash(secret);
        await db.SaveChangesAsync(cancellationToken);
        return new InvitationOutcome(false, $"{waits} Or send them the link, shown only now: with it they set their own password and join "
            + $"(once, within {InvitationLinks.ValidFor.Days} days; inviting again replaces it).", InvitationLinks.PathFor(secret));
    }

    /// <summary>Open invitations: of one study, or (for administrators) of every study.</summary>
    public async Task<IReadOnlyList<StudyInvitationView>> OpenAsync(Guid? studyId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await (from i in db.StudyInvitations.AsNoTracking()
                      join s in db.Studies on i.StudyId equals s.Id
                      where i.JoinedAt == null && (studyId == null || i.StudyId == studyId)
                      orderby i.InvitedAt
                      select new StudyInvitationView(i.Id, i.StudyId, s.Name, i.Email, i.Role, i.InvitedBy, i.InvitedAt)).ToListAsync(cancellationToken);
    }

    public async Task WithdrawAsync(Guid studyId, Guid invitationId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var invitation = await db.StudyInvitations.SingleOrDefaultAsync(i => i.StudyId == studyId && i.Id == invitationId && i.JoinedAt == null, cancellationToken)
            ?? throw new StudyRuleException("No such open invitation in this study.");
        db.StudyInvitations.Remove(invitation);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>After an administrator created an account or changed its roles: every invitation it now meets becomes a membership.</summary>
    public async Task<int> HonourAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var normalized = await db.Users.Where(u => u.Id == userId).Select(u => u.NormalizedEmail).SingleOrDefaultAsync(cancellationToken);
        var open = await db.StudyInvitations.Where(i => i.NormalizedEmail == normalized && i.JoinedAt == null).ToListAsync(cancellationToken);
        var joined = 0;
        foreach (var invitation in open)
        {
            if (await UserInRoleAsync(db, invitation.NormalizedEmail, invitation.Role, cancellationToken) is not null)
            {
                await JoinAsync(db, invitation.StudyId, userId, invitation.Role, clock.GetUtcNow(), cancellationToken);
                invitation.JoinedAt = clock.GetUtcNow();
                joined++;
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        return joined;
    }

    /// <summary>The account under that e-mail if it holds the role; null when there is none or it lacks the role (callers answer both alike).</summary>
    internal static async Task<string?> UserInRoleAsync(ReaderStudyDbContext db, string normalizedEmail, string role, CancellationToken cancellationToken) =>
        await (from u in db.Users
               join ur in db.UserRoles on u.Id equals ur.UserId
               join r in db.Roles on ur.RoleId equals r.Id
               where u.NormalizedEmail == normalizedEmail && r.Name == role
               select u.Id).FirstOrDefaultAsync(cancellationToken);

    /// <summary>
    /// Adds the membership to <paramref name="db"/> (unsaved) unless it exists. A reader joining a study already open
    /// gets their trials then, the addition that touches no answer; returns how many trials were drawn for them.
    /// </summary>
    internal static async Task<int> JoinAsync(ReaderStudyDbContext db, Guid studyId, string userId, string role, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (!await db.StudyMembers.AnyAsync(m => m.StudyId == studyId && m.UserId == userId && m.Role == role, cancellationToken))
        {
            db.StudyMembers.Add(new StudyMember { StudyId = studyId, UserId = userId, Role = role, AddedAt = at });
        }
        if (role != PortalRoles.Reader || await db.Studies.SingleAsync(s => s.Id == studyId, cancellationToken) is not { State: StudyState.Open } study)
        {
            return 0;
        }
        var drawn = await Reading.ReadingDesign.DrawForLateReaderAsync(db, study, userId, cancellationToken);
        if (drawn > 0)
        {
            db.Audit("trials.drawn-for-joining-reader", studyId, $"{drawn} trial(s) for reader {userId}, who joined the open study; no other reader's trials changed");
        }
        return drawn;
    }

    internal static void RequireStudyRole(string role)
    {
        if (!PortalRoles.All.Contains(role) || role == PortalRoles.Admin)
        {
            throw new StudyRuleException($"'{role}' is not a study role: use Coordinator, Reader or Statistician.");
        }
    }
}
