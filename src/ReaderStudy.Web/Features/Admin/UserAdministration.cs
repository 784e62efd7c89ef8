using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using ReaderStudy.Core.Accounts;
using ReaderStudy.Core.Data;
using ReaderStudy.Web.Features.Studies;

namespace ReaderStudy.Web.Features.Admin;

/// <summary>
/// Accounts as an administrator manages them: create with a role, change roles, deactivate and reactivate, set a
/// new password, unlock. Each change renews the account's security stamp, so its open sessions end at their next
/// check (within a minute), and is audited (the account row's changed columns, never the password).
/// </summary>
public sealed class UserAdministration(UserManager<PortalUser> users, IDbContextFactory<ReaderStudyDbContext> dbFactory, TimeProvider clock, Accounts.SignInThrottle throttle,
    StudyInvitations invitations)
{
    public async Task<IReadOnlyList<UserView>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var roles = await db.UserRoles.Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name })
            .ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var all = await db.Users.AsNoTracking().OrderBy(u => u.Email).ToListAsync(cancellationToken);
        return [.. all.Select(u => new UserView(u.Id, u.Email ?? "", u.DisplayName,
            [.. roles.Where(r => r.UserId == u.Id).Select(r => r.Name!)], u.LockoutEnd > now || throttle.IsLockedOutAnywhere(u.Email ?? ""), u.LockoutEnd >= DeactivatedFrom))];
    }

    public async Task<UserView> CreateAsync(NewUser request)
    {
        if (!PortalRoles.All.Contains(request.Role))
        {
            throw new StudyRuleException($"'{request.Role}' is not a portal role: use {string.Join(", ", PortalRoles.All)}.");
        }
        var user = new PortalUser { UserName = request.Email.Trim(), Email = request.Email.Trim(), EmailConfirmed = true, DisplayName = request.DisplayName.Trim() };
        Require(await users.CreateAsync(user, request.Password));
        Require(await users.AddToRoleAsync(user, request.Role));
        await invitations.HonourAsync(user.Id);
        return new UserView(user.Id, user.Email, user.DisplayName, [request.Role], false);
    }

    // Deactivation is a lockout that never ends: Identity then refuses every sign-in, and the account row says when.
    // (SQLite stores times to 0.1 ms, so what comes back is read as "from year 9999 on".)
    private static readonly DateTimeOffset Deactivated = DateTimeOffset.MaxValue;
    private static readonly DateTimeOffset DeactivatedFrom = new(9999, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public async Task<UserView> SetRolesAsync(string userId, IReadOnlyList<string> roles, string actingAdmin)
    {
        if (roles.Count == 0)
        {
            throw new StudyRuleException("An account needs at least one role.");
        }
        if (roles.FirstOrDefault(r => !PortalRoles.All.Contains(r)) is { } unknown)
        {
            throw new StudyRuleException($"'{unknown}' is not a portal role: use {string.Join(", ", PortalRoles.All)}.");
        }
        var user = await FindAsync(userId);
        var current = await users.GetRolesAsync(user);
        if (current.Contains(PortalRoles.Admin) && !roles.Contains(PortalRoles.Admin))
        {
            await RequireAnotherAdminAsync(user, actingAdmin, "lose the Admin role", "remove your own Admin role");
        }
        Require(await users.RemoveFromRolesAsync(user, current.Except(roles)));
        Require(await users.AddToRolesAsync(user, roles.Except(current)));
        Require(await users.UpdateSecurityStampAsync(user));
        await invitations.HonourAsync(user.Id);
        return await ViewAsync(user);
    }

    public async Task<UserView> DeactivateAsync(string userId, string actingAdmin)
    {
        var user = await FindAsync(userId);
        if (await users.IsInRoleAsync(user, PortalRoles.Admin))
        {
            await RequireAnotherAdminAsync(user, actingAdmin, "be deactivated", "deactivate yourself");
        }
        Require(await users.SetLockoutEnabledAsync(user, true));
        Require(await users.SetLockoutEndDateAsync(user, Deactivated));
        Require(await users.UpdateSecurityStampAsync(user));
        return await ViewAsync(user);
    }

    public async Task<UserView> ReactivateAsync(string userId)
    {
        var user = await FindAsync(userId);
        Require(await users.SetLockoutEndDateAsync(user, null));
        Require(await users.ResetAccessFailedCountAsync(user));
        return await ViewAsync(user);
    }

    /// <summary>Sets a new password (the portal's password rules apply); the person's open sessions end.</summary>
    public async Task SetPasswordAsync(string userId, string password)
    {
        var user = await FindAsync(userId);
        foreach (var validator in users.PasswordValidators)
        {
            Require(await validator.ValidateAsync(users, user, password));
        }
        if (await users.HasPasswordAsync(user))
        {
            Require(await users.RemovePasswordAsync(user));
        }
        Require(await users.AddPasswordAsync(user, password));
        throttle.Clear(user.Email ?? "");
    }

    private async Task<PortalUser> FindAsync(string userId) => await users.FindByIdAsync(userId) ?? throw new StudyRuleException("No such account.");

    private async Task<UserView> ViewAsync(PortalUser user) => (await ListAsync()).Single(u => u.Id == user.Id);

    // The portal must keep an administrator who can sign in, and an administrator does not lock themself out.
    private async Task RequireAnotherAdminAsync(PortalUser user, string actingAdmin, string what, string yourself)
    {
        if (string.Equals(user.Email, actingAdmin, StringComparison.OrdinalIgnoreCase))
        {
            throw new StudyRuleException($"You cannot {yourself}: ask another administrator.");
        }
        var now = clock.GetUtcNow();
        var admins = await users.GetUsersInRoleAsync(PortalRoles.Admin);
        if (!admins.Any(a => a.Id != user.Id && !(a.LockoutEnd > now)))
        {
            throw new StudyRuleException($"{user.Email} is the only active administrator and cannot {what}: make another account Admin first.");
        }
    }

    public async Task UnlockAsync(string userId)
    {
        var user = await users.FindByIdAsync(userId) ?? throw new StudyRuleException("No such account.");
        Require(await users.SetLockoutEndDateAsync(user, null));
        Require(await users.ResetAccessFailedCountAsync(user));
        throttle.Clear(user.Email ?? "");
    }

    private static void Require(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new StudyRuleException(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }
}
