using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using ReaderStudy.Web.Features.Admin;

namespace ReaderStudy.IntegrationTests;

/// <summary>An administrator changes roles, deactivates and reactivates, and sets a new password; the person's sign-in follows, and nobody else may.</summary>
public abstract class AccountAdministrationTests(PortalFactory portal)
{
    private const string FirstPassword = "First-Password-2026!";

    private async Task<(PortalClient Admin, UserView User)> NewAccountAsync()
    {
        var admin = await portal.NewClient().SignedInAsAsync(DemoUsers.Admin);
        var created = await admin.Http.PostAsJsonAsync("/api/admin/users", new NewUser($"reader-{Guid.NewGuid():N}@hospital.test", "Dr Reader", "Reader", FirstPassword));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (admin, (await created.Content.ReadFromJsonAsync<UserView>(PortalJson.Options))!);
    }

    private async Task<bool> SignsInAsync(string email, string password)
    {
        using var client = portal.NewClient();
        var response = await client.SignInAsync(email, password);
        return response.StatusCode == HttpStatusCode.Redirect && !response.RedirectPath().Contains("Account", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admin_ChangesRolesDeactivatesReactivatesAndSetsAPassword_AndSignInFollows()
    {
        var (admin, user) = await NewAccountAsync();
        using var _ = admin;

        var roles = await admin.Http.PutAsJsonAsync($"/api/admin/users/{user.Id}/roles", new RolesChange(["Reader", "Statistician"]));
        var unknown = await admin.Http.PutAsJsonAsync($"/api/admin/users/{user.Id}/roles", new RolesChange(["Reader", "Superuser"]));
        var none = await admin.Http.PutAsJsonAsync($"/api/admin/users/{user.Id}/roles", new RolesChange([]));

        Assert.Equal(["Reader", "Statistician"], (await roles.Content.ReadFromJsonAsync<UserView>(PortalJson.Options))!.Roles.Order());
        Assert.Contains("'Superuser' is not a portal role", await unknown.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        Assert.True(await SignsInAsync(user.Email, FirstPassword));

        var deactivated = (await (await admin.Http.PostAsync($"/api/admin/users/{user.Id}/deactivate", null)).Content.ReadFromJsonAsync<UserView>(PortalJson.Options))!;

        Assert.True(deactivated.Deactivated);
        Assert.False(await SignsInAsync(user.Email, FirstPassword), "a deactivated account signs in");

        await admin.Http.PostAsync($"/api/admin/users/{user.Id}/reactivate", null);
        var weak = await admin.Http.PutAsJsonAsync($"/api/admin/users/{user.Id}/password", new PasswordChange("short"));
        var changed = await admin.Http.PutAsJsonAsync($"/api/admin/users/{user.Id}/password", new PasswordChange("Second-Password-2026!"));

        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        Assert.False(await SignsInAsync(user.Email, FirstPassword), "the old password still works");
        Assert.True(await SignsInAsync(user.Email, "Second-Password-2026!"));

        await using var db = portal.NewDbContext();
        var changes = await db.AuditLog.Where(e => e.Action == "PortalUser.modified" && e.EntityKey!.Contains(user.Id)).Select(e => e.Details).ToListAsync();
        Assert.Contains(changes, d => d.Contains("LockoutEnd"));
        Assert.Contains(changes, d => d.Contains("PasswordHash"));
        Assert.DoesNotContain(changes, d => d.Contains("Second-Password"));
    }

    [Fact]
    public async Task Admin_CannotDeactivateThemselfOrDropTheirOwnAdminRole()
    {
        using var admin = await portal.NewClient().SignedInAsAsync(DemoUsers.Admin);
        await using var db = portal.NewDbContext();
        var me = await db.Users.SingleAsync(u => u.Email == DemoUsers.Admin);

        var deactivate = await admin.Http.PostAsync($"/api/admin/users/{me.Id}/deactivate", null);
        var demote = await admin.Http.PutAsJsonAsync($"/api/admin/users/{me.Id}/roles", new RolesChange(["Reader"]));

        Assert.Contains("You cannot deactivate yourself", await deactivate.Content.ReadAsStringAsync());
        Assert.Contains("You cannot remove your own Admin role", await demote.Content.ReadAsStringAsync());
        Assert.True(await SignsInAsync(DemoUsers.Admin, PortalClient.DemoPassword), "the administrator can still sign in");
        Assert.Contains("Admin", (await admin.Http.GetFromJsonAsync<List<UserView>>("/api/admin/users", PortalJson.Options))!.Single(u => u.Id == me.Id).Roles);
    }

    [Fact]
    public async Task AccountChanges_ByACoordinator_AreForbidden()
    {
        var (admin, user) = await NewAccountAsync();
        using var _ = admin;
        using var coordinator = await portal.NewClient().SignedInAsAsync(DemoUsers.Coordinator);

        Assert.Equal(HttpStatusCode.Forbidden, (await coordinator.Http.PostAsync($"/api/admin/users/{user.Id}/deactivate", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await coordinator.Http.PutAsJsonAsync($"/api/admin/users/{user.Id}/roles", new RolesChange(["Admin"]))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await coordinator.Http.PutAsJsonAsync($"/api/admin/users/{user.Id}/password", new PasswordChange("Taken-Over-2026!"))).StatusCode);
        Assert.True(await SignsInAsync(user.Email, FirstPassword));
    }
}

public sealed class AccountAdministrationOnSqlite(SqlitePortal portal) : AccountAdministrationTests(portal), IClassFixture<SqlitePortal>;

public sealed class AccountAdministrationOnPostgres(PostgresPortal portal) : AccountAdministrationTests(portal), IClassFixture<PostgresPortal>;
