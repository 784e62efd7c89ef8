using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace ReaderStudy.E2ETests;

/// <summary>
/// Hospital single sign-on through a real OpenID Connect provider on loopback, in Chromium: the portal matches the
/// person by email, refuses someone it has no account for with a message, and keeps its own roles whatever the
/// hospital's token claims.
/// </summary>
public sealed class HospitalSignInTests : IAsyncLifetime
{
    private HospitalIdentityProvider hospital = default!;
    private PortalFactory portal = default!;
    private IPlaywright playwright = default!;
    private IBrowser chromium = default!;
    private string baseUrl = "";

    public async Task InitializeAsync()
    {
        hospital = await HospitalIdentityProvider.StartAsync();
        portal = new PortalFactory(TestDatabase.Sqlite, new Dictionary<string, string>
        {
            ["Authentication:OpenIdConnect:Authority"] = hospital.Authority,
            ["Authentication:OpenIdConnect:ClientId"] = HospitalIdentityProvider.ClientId,
            ["Authentication:OpenIdConnect:ClientSecret"] = HospitalIdentityProvider.ClientSecret,
            ["Authentication:OpenIdConnect:DisplayName"] = "Sign in with the hospital",
            ["Authentication:OpenIdConnect:RequireHttpsMetadata"] = "false",
        });
        portal.UseKestrel(0);
        portal.StartServer();
        baseUrl = portal.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        await hospital.RegisterPortalAsync(baseUrl);
        playwright = await Playwright.CreateAsync();
        chromium = await BrowserPortal.LaunchChromiumAsync(playwright);
    }

    [Fact]
    public async Task KnownEmail_SignsInAsThatAccount_WithThePortalsRolesNotTheHospitals()
    {
        var page = await SignInThroughTheHospitalAsync(DemoUsers.Reader1);

        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        Assert.DoesNotContain("/Account/", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("[data-testid=nav-reading]")).ToBeVisibleAsync();
        // The hospital's token says "Admin"; the portal's account is a reader's.
        await Assertions.Expect(page.Locator("[data-testid=nav-users]")).ToHaveCountAsync(0);
        var response = await page.APIRequest.GetAsync("/api/admin/users");
        Assert.Equal(403, response.Status);
        await using var db = portal.NewDbContext();
        Assert.Contains(await db.AuditLog.Where(a => a.Action == "account.signed-in-external").Select(a => a.UserName).ToListAsync(),
            name => name == DemoUsers.Reader1);
    }

    [Fact]
    public async Task UnknownEmail_IsRefusedWithAMessage_AndGetsNoAccount()
    {
        var page = await SignInThroughTheHospitalAsync("stranger@hospital.example");

        await Assertions.Expect(page.Locator("[data-testid=login-error]")).ToContainTextAsync("No ReaderStudy account belongs to stranger@hospital.example");
        Assert.Contains("/Account/Login", page.Url, StringComparison.Ordinal);
        await using var db = portal.NewDbContext();
        Assert.False(await db.Users.AnyAsync(u => u.Email == "stranger@hospital.example"));
        Assert.Equal(401, (await page.APIRequest.GetAsync("/api/studies")).Status);
    }

    [Fact]
    public async Task InvitedEmail_WithoutAnAccount_CompletesItsInvitationBySigningInThroughTheHospital_ButACoordinatorsInvitationDoesNot()
    {
        Guid study;
        using (var coordinator = await new PortalClient(new HttpClient(new HttpClientHandler { CookieContainer = new System.Net.CookieContainer(), AllowAutoRedirect = false })
               { BaseAddress = new Uri(baseUrl) }).SignedInAsAsync(DemoUsers.Coordinator))
        {
            study = await coordinator.CreateStudyAsync($"Hospital panel {Guid.NewGuid():N}"[..24]);
            foreach (var (email, role) in new[] { ("invited.reader@hospital.example", "Reader"), ("invited.coordinator@hospital.example", "Coordinator") })
            {
                var invited = await coordinator.Http.PostAsJsonAsync($"/api/studies/{study}/invitations", new Web.Features.Studies.NewStudyMember(email, role), PortalJson.Options);
                Assert.True(invited.IsSuccessStatusCode, await invited.Content.ReadAsStringAsync());
            }
        }

        var page = await SignInThroughTheHospitalAsync("invited.reader@hospital.example");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await Assertions.Expect(page.Locator("[data-testid=signed-in-as]")).ToHaveTextAsync("invited.reader@hospital.example");
        await Assertions.Expect(page.Locator("[data-testid=nav-reading]")).ToBeVisibleAsync();
        await using (var db = portal.NewDbContext())
        {
            var user = await db.Users.SingleAsync(u => u.Email == "invited.reader@hospital.example");
            Assert.Null(user.PasswordHash);
            Assert.True(await db.StudyMembers.AnyAsync(m => m.StudyId == study && m.UserId == user.Id && m.Role == "Reader"));
            Assert.True(await db.AuditLog.AnyAsync(a => a.StudyId == study && a.Action == "account.created-from-invitation"));
        }

        var refused = await SignInThroughTheHospitalAsync("invited.coordinator@hospital.example");
        await Assertions.Expect(refused.Locator("[data-testid=login-error]")).ToContainTextAsync("No ReaderStudy account belongs to invited.coordinator@hospital.example");
        await using (var db = portal.NewDbContext())
        {
            Assert.False(await db.Users.AnyAsync(u => u.Email == "invited.coordinator@hospital.example"));
        }
    }

    [Fact]
    public async Task DeactivatedAccount_IsRefusedThroughTheHospitalToo()
    {
        await using (var db = portal.NewDbContext())
        {
            // As Administration > Accounts deactivates: a lockout that never ends.
            var reader = await db.Users.SingleAsync(u => u.Email == DemoUsers.Reader2);
            reader.LockoutEnabled = true;
            reader.LockoutEnd = DateTimeOffset.MaxValue;
            await db.SaveChangesAsync();
        }

        var page = await SignInThroughTheHospitalAsync(DemoUsers.Reader2);

        Assert.Contains("/Account/Lockout", page.Url, StringComparison.Ordinal);
        Assert.Equal(401, (await page.APIRequest.GetAsync("/api/studies")).Status);
    }

    private async Task<IPage> SignInThroughTheHospitalAsync(string email)
    {
        var context = await chromium.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/Account/Login");
        await page.ClickAsync("text=Sign in with the hospital");
        await page.WaitForURLAsync(url => url.StartsWith(hospital.Authority, StringComparison.Ordinal));
        await page.FillAsync("#hospital-email", email);
        await page.ClickAsync("#hospital-sign-in");
        await page.WaitForURLAsync(url => url.StartsWith(baseUrl, StringComparison.Ordinal) && !url.Contains("signin-oidc", StringComparison.Ordinal)
            && !url.Contains("ExternalLoginCallback", StringComparison.Ordinal));
        return page;
    }

    public async Task DisposeAsync()
    {
        await chromium.DisposeAsync();
        playwright.Dispose();
        await portal.DisposeAsync();
        await hospital.DisposeAsync();
    }
}
