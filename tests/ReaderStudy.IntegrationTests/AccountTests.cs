using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using ReaderStudy.Web.Features.Admin;

namespace ReaderStudy.IntegrationTests;

public abstract class AccountTests(PortalFactory portal)
{
    private async Task<string> NewReaderAsync()
    {
        using var admin = await portal.NewClient().SignedInAsAsync(DemoUsers.Admin);
        var email = $"reader-{Guid.NewGuid():N}@hospital.test";
        var created = await admin.Http.PostAsJsonAsync("/api/admin/users", new NewUser(email, "Test Reader", "Reader", "Correct-horse-42"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return email;
    }

    [Fact]
    public async Task SignIn_WithDemoPassword_RedirectsToDashboard()
    {
        using var client = portal.NewClient();

        var response = await client.SignInAsync(DemoUsers.Statistician);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.RedirectPath());
        Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task SignIn_FiveWrongPasswords_LockThisClientOutEvenForTheRightOne()
    {
        var email = await NewReaderAsync();
        using var client = portal.NewClient();

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            var wrong = await client.SignInAsync(email, "Wrong-password-1");
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
            Assert.Contains("Wrong email or password", await wrong.Content.ReadAsStringAsync());
        }
        var fifth = await client.SignInAsync(email, "Wrong-password-1");
        Assert.Equal("/Account/Lockout", fifth.RedirectPath());

        var right = await client.SignInAsync(email, "Correct-horse-42");

        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal("/Account/Lockout", right.RedirectPath());
        await using var db = portal.NewDbContext();
        var user = await db.Users.SingleAsync(u => u.Email == email);
        // The account itself stays open: the lock is on this client only (SignInTests), so a stranger cannot lock a reader out.
        Assert.Null(user.LockoutEnd);
        Assert.True(await db.AuditLog.AnyAsync(e => e.Action == "account.locked-out" && e.Details == email));
    }

    [Fact]
    public async Task Admin_UnlocksALockedAccount_ThenTheRightPasswordWorks()
    {
        var email = await NewReaderAsync();
        using var client = portal.NewClient();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await client.SignInAsync(email, "Wrong-password-1");
        }
        using var admin = await portal.NewClient().SignedInAsAsync(DemoUsers.Admin);
        var users = await admin.Http.GetFromJsonAsync<List<UserView>>("/api/admin/users", PortalJson.Options);
        var locked = users!.Single(u => u.Email == email);
        Assert.True(locked.LockedOut);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.Http.PostAsync($"/api/admin/users/{locked.Id}/unlock", null)).StatusCode);

        var response = await client.SignInAsync(email, "Correct-horse-42");
        Assert.Equal("/", response.RedirectPath());
    }

    [Fact]
    public async Task CreateUser_WithWeakPassword_IsRefusedWithThePolicyNamed()
    {
        using var admin = await portal.NewClient().SignedInAsAsync(DemoUsers.Admin);

        var response = await admin.Http.PostAsJsonAsync("/api/admin/users", new NewUser($"weak-{Guid.NewGuid():N}@hospital.test", "Weak", "Reader", "short"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("at least 10 characters", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SignIn_FormWithoutAntiforgeryToken_IsRejected()
    {
        using var client = portal.NewClient();

        var response = await client.Http.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login", ["Input.Email"] = DemoUsers.Admin, ["Input.Password"] = PortalClient.DemoPassword,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}

public sealed class AccountsOnSqlite(SqlitePortal portal) : AccountTests(portal), IClassFixture<SqlitePortal>;

public sealed class AccountsOnPostgres(PostgresPortal portal) : AccountTests(portal), IClassFixture<PostgresPortal>;
