using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ReaderStudy.Core.Accounts;

namespace ReaderStudy.IntegrationTests;

/// <summary>Sign-in against account enumeration, password guessing and lock-out used as a weapon.</summary>
public sealed class SignInTests(SqlitePortal portal) : IClassFixture<SqlitePortal>
{
    private async Task<string> NewAccountAsync()
    {
        using var scope = portal.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var email = $"reader-{Guid.NewGuid():N}@hospital.test";
        var created = await users.CreateAsync(new PortalUser { UserName = email, Email = email, EmailConfirmed = true }, PortalClient.DemoPassword);
        Assert.True(created.Succeeded);
        await users.AddToRoleAsync((await users.FindByEmailAsync(email))!, PortalRoles.Reader);
        return email;
    }

    private static bool SignedIn(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.Redirect && !response.RedirectPath().Contains("Account", StringComparison.Ordinal);

    [Fact]
    public async Task WrongPasswords_LockOutTheClientThatTypedThem_NeverTheAccount()
    {
        var email = await NewAccountAsync();
        using var stranger = portal.NewClient();
        for (var i = 0; i < 5; i++)
        {
            Assert.False(SignedIn(await stranger.SignInAsync(email, "Wrong-password-1")));
        }
        // The lock is on this account from this address: the same address still signs in to another account.
        using var reader = await portal.NewClient().SignedInAsAsync(DemoUsers.Reader1);

        var locked = await stranger.SignInAsync(email, PortalClient.DemoPassword);

        Assert.False(SignedIn(locked));
        Assert.Contains("Lockout", locked.RedirectPath());
        await using var db = portal.NewDbContext();
        var account = await db.Users.SingleAsync(u => u.Email == email);
        Assert.Null(account.LockoutEnd);
        Assert.Equal(0, account.AccessFailedCount);
        Assert.Equal(4, await db.AuditLog.CountAsync(e => e.Action == "account.sign-in-failed" && e.Details == email));
        Assert.Equal(2, await db.AuditLog.CountAsync(e => e.Action == "account.locked-out" && e.Details == email));
    }
}

public sealed class SignInRateLimitTests(RateLimitedPortal portal) : IClassFixture<RateLimitedPortal>
{
    [Fact]
    public async Task SignInPage_PastTheClientsLimit_Answers429()
    {
        using var client = portal.NewClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add((await client.Http.GetAsync("/Account/Login")).StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }
}
