using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using ReaderStudy.Core.Accounts;
using ReaderStudy.Core.Data;
using ReaderStudy.Web.Features.Studies;

namespace ReaderStudy.Web.Features.Admin;

/// <summary>Accounts as an administrator manages them: create with a role, unlock.</summary>
public sealed class UserAdministration(UserManager<PortalUser> users, IDbContextFactory<ReaderStudyDbContext> dbFactory, TimeProvider clock, Accounts.SignInThrottle throttle)
{
    public async Task<IReadOnlyList<UserView>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var roles = await db.UserRoles.Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name })
            .ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var all = await db.Users.AsNoTracking().OrderBy(u => u.Email).ToListAsync(cancellationToken);
        return [.. all.Select(u => new UserView(u.Id, u.Email ?? "", u.DisplayName,
            [.. roles.Where(r => r.UserId == u.Id).Select(r => r.Name!)], u.LockoutEnd > now || throttle.IsLockedOutAnywhere(u.Email ?? "")))];
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
        return new UserView(user.Id, user.Email, user.DisplayName, [request.Role], false);
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
