using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using ReaderStudy.Core.Accounts;
using ReaderStudy.Core.Data;
using ReaderStudy.Core.Studies;

namespace ReaderStudy.Web.Features.Studies;

/// <summary>An invitation as the person holding its link sees it.</summary>
public sealed record InvitationForLink(string Study, string Email, string Role, string InvitedBy);

/// <summary>
/// The person a coordinator invited completes their own account through the invitation's link: they choose their name
/// and password, the account gets the invited role, and every waiting invitation it now meets becomes a membership (a
/// reader joining an open study gets their trials then). Only for readers and statisticians: a coordinator's account
/// creates studies, which stays an administrator's decision. The link carries a 256-bit secret of which the portal
/// keeps only the SHA-256; it works once, for <see cref="ValidFor"/>, and not for an e-mail that has an account.
/// </summary>
public sealed class InvitationLinks(IDbContextFactory<ReaderStudyDbContext> dbFactory, UserManager<PortalUser> users, StudyInvitations invitations, TimeProvider clock)
{
    public static readonly TimeSpan ValidFor = TimeSpan.FromDays(14);

    internal static bool MayComplete(string role) => role is PortalRoles.Reader or PortalRoles.Statistician;

    internal static string NewSecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    internal static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    internal static string PathFor(string secret) => $"Account/Invitation/{secret}";

    /// <summary>The invitation the link stands for, or the reason it stands for none.</summary>
    public async Task<(InvitationForLink? Invitation, string? Refusal)> FindAsync(string secret, CancellationToken cancellationToken = default)
    {
        var (invitation, _, refusal) = await FindWaitingAsync(secret, cancellationToken);
        return (invitation, refusal);
    }

    /// <summary>Creates the account with the person's name and password, and signs nothing in: the caller does.</summary>
    public async Task<PortalUser> CompleteAsync(string secret, string displayName, string password, CancellationToken cancellationToken = default)
    {
        var (invitation, studyId, refusal) = await FindWaitingAsync(secret, cancellationToken);
        if (refusal is not null)
        {
            throw new StudyRuleException(refusal);
        }
        var name = displayName.Trim();
        if (name.Length is 0 or > 100)
        {
            throw new StudyRuleException("Give your name as colleagues know it (1 to 100 characters).");
        }
        return await CreateAccountAsync(invitation!.Email, name, password, [(invitation.Role, studyId, invitation.InvitedBy)], "", cancellationToken);
    }

    /// <summary>
    /// Hospital sign-in of an e-mail without an account: where a coordinator invited that e-mail as a reader or a
    /// statistician (within <see cref="ValidFor"/>, to a study not closed), the signed-in person completes the
    /// invitation as they would through its link: an account without a password, in the invited roles, and the
    /// memberships. Null, and nothing created, when no such invitation waits.
    /// </summary>
    public async Task<PortalUser?> CompleteBySignInAsync(string email, string? name, CancellationToken cancellationToken = default)
    {
        var normalized = users.NormalizeEmail(email);
        List<(string Role, Guid StudyId, string InvitedBy)> waiting;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            waiting = [.. (await (from i in db.StudyInvitations.AsNoTracking()
                                  join s in db.Studies on i.StudyId equals s.Id
                                  where i.NormalizedEmail == normalized && i.JoinedAt == null && s.State != StudyState.Closed
                                  select new { i.Role, i.StudyId, i.InvitedBy, i.InvitedAt }).ToListAsync(cancellationToken))
                .Where(i => MayComplete(i.Role) && !Expired(i.InvitedAt)).Select(i => (i.Role, i.StudyId, i.InvitedBy))];
        }
        if (waiting.Count == 0)
        {
            return null;
        }
        // The provider's name claim, unless it is only the e-mail again (or too long to be a name).
        var displayName = name?.Trim() is { Length: > 0 and <= 100 } given && !given.Contains('@') ? given : email;
        return await CreateAccountAsync(email, displayName, password: null, waiting, ", through the hospital's sign-in", cancellationToken);
    }

    /// <summary>The account, in the invitations' roles, and then every waiting invitation it meets a membership.</summary>
    private async Task<PortalUser> CreateAccountAsync(string email, string displayName, string? password,
        IReadOnlyList<(string Role, Guid StudyId, string InvitedBy)> invited, string how, CancellationToken cancellationToken)
    {
        var user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = displayName };
        // Identity's own rules: the password policy, and one account per e-mail even when two tabs complete at once.
        var created = password is null ? await users.CreateAsync(user) : await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            throw new StudyRuleException(string.Join(" ", created.Errors.Select(e => e.Description)));
        }
        var roles = await users.AddToRolesAsync(user, invited.Select(i => i.Role).Distinct());
        if (!roles.Succeeded)
        {
            throw new InvalidOperationException(string.Join(" ", roles.Errors.Select(e => e.Description)));
        }
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            foreach (var (role, studyId, invitedBy) in invited)
            {
                db.Audit("account.created-from-invitation", studyId, $"{email} as {role}, invited by {invitedBy}{how}");
            }
            await db.SaveChangesAsync(cancellationToken);
        }
        await invitations.HonourAsync(user.Id, cancellationToken);
        return user;
    }

    private bool Expired(DateTimeOffset invitedAt) => clock.GetUtcNow() - invitedAt > ValidFor;

    private async Task<(InvitationForLink? Invitation, Guid StudyId, string? Refusal)> FindWaitingAsync(string secret, CancellationToken cancellationToken)
    {
        const string ask = "Ask the study's coordinator for a new link.";
        if (secret.Length != 64)
        {
            return (null, default, $"This invitation link is not valid. {ask}");
        }
        var hash = Hash(secret);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var found = await (from i in db.StudyInvitations.AsNoTracking()
                           join s in db.Studies on i.StudyId equals s.Id
                           where i.LinkHash == hash
                           select new { Invitation = i, Study = s.Name, s.State }).SingleOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return (null, default, $"This invitation link is not valid: it was withdrawn, replaced by a newer one, or mistyped. {ask}");
        }
        var invitation = found.Invitation;
        if (invitation.JoinedAt is not null)
        {
            return (null, invitation.StudyId, "This invitation has been used: sign in with your account.");
        }
        if (Expired(invitation.InvitedAt))
        {
            return (null, invitation.StudyId, $"This invitation link expired {ValidFor.Days} days after it was sent. {ask}");
        }
        if (found.State == StudyState.Closed)
        {
            return (null, invitation.StudyId, $"The study '{found.Study}' is closed: there is nothing left to join.");
        }
        if (await users.FindByEmailAsync(invitation.Email) is not null)
        {
            return (null, invitation.StudyId, $"An account under {invitation.Email} exists already: sign in with it. The invitation becomes a membership "
                + $"when an administrator gives that account the {invitation.Role} role.");
        }
        return (new InvitationForLink(found.Study, invitation.Email, invitation.Role, invitation.InvitedBy), invitation.StudyId, null);
    }
}
