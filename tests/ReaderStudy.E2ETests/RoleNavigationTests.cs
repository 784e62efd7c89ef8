using System.Text.RegularExpressions;
using System.Net.Http.Json;
using Microsoft.Playwright;

namespace ReaderStudy.E2ETests;

public sealed class RoleNavigationTests(BrowserPortal browser) : IClassFixture<BrowserPortal>
{
    private static readonly string[] AllEntries = ["nav-studies", "nav-reading", "nav-results", "nav-users", "nav-audit", "nav-jobs"];

    [Theory]
    [InlineData(DemoUsers.Admin, new[] { "nav-studies", "nav-results", "nav-users", "nav-audit", "nav-jobs" })]
    [InlineData(DemoUsers.Coordinator, new[] { "nav-studies", "nav-results" })]
    [InlineData(DemoUsers.Reader1, new[] { "nav-reading" })]
    [InlineData(DemoUsers.Statistician, new[] { "nav-results" })]
    public async Task SignIn_AsEachRole_ShowsOnlyThatRolesNavigation(string email, string[] expected)
    {
        var page = await browser.SignedInPageAsync(email);

        await Assertions.Expect(page.Locator("[data-testid=signed-in-as]")).ToHaveTextAsync(email);
        foreach (var entry in AllEntries)
        {
            var count = await page.Locator($"[data-testid={entry}]").CountAsync();
            Assert.True(expected.Contains(entry) ? count == 1 : count == 0, $"{email}: {entry} shown {count} times");
        }
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Reader_Dashboard_ListsTheAssignedDemoStudy()
    {
        var page = await browser.SignedInPageAsync(DemoUsers.Reader2);

        await Assertions.Expect(page.Locator("[data-testid=dashboard-reader]")).ToContainTextAsync("Knee T2 phantom demo");
        Assert.Equal(0, await page.Locator("[data-testid=dashboard-coordinator]").CountAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Reader_TypingACoordinatorAddress_SeesAccessDenied()
    {
        var page = await browser.SignedInPageAsync(DemoUsers.Reader1);

        var response = await page.GotoAsync("/studies");

        Assert.Equal(403, response!.Status);
        await Assertions.Expect(page.Locator("[data-testid=access-denied]")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Coordinator_Dashboard_SaysWhereSyntheticMapsRun()
    {
        var page = await browser.SignedInPageAsync(DemoUsers.Coordinator);

        await page.GotoAsync("/");

        // No GPU here or in CI: the CUDA provider cannot load, and the coordinator is told so.
        await Assertions.Expect(page.Locator("[data-testid=inference-device]")).ToContainTextAsync(
            File.Exists("/dev/nvidiactl") ? "run on the GPU" : "run on the CPU: the ONNX Runtime CUDA provider did not load");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task InvitedReader_CompletesTheirOwnAccountThroughTheLink_JoinsTheStudy_AndTheLinkWorksOnce()
    {
        var page = await browser.SignedInPageAsync(DemoUsers.Coordinator);
        await page.GotoAsync("/studies");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        var study = $"Linked panel {Guid.NewGuid().ToString()[..8]}";
        await page.Locator("[data-testid=new-study-name]").FillAsync(study);
        await page.ClickAsync("[data-testid=create-study]");
        await Assertions.Expect(page.Locator("[data-testid=study-name]")).ToHaveTextAsync(study, new() { Timeout = 20_000 });
        var email = $"new.reader.{Guid.NewGuid():N}"[..24] + "@hospital.test";
        await page.Locator("[data-testid=member-email]").FillAsync(email);
        await page.ClickAsync("[data-testid=add-member]");
        var linkField = page.Locator("[data-testid=invitation-link]");
        await Assertions.Expect(linkField).ToHaveValueAsync(new Regex($"^{Regex.Escape(browser.BaseUrl)}/Account/Invitation/[0-9a-f]{{64}}$"));
        var link = await linkField.InputValueAsync();

        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = browser.BaseUrl });
        var invitee = await context.NewPageAsync();
        await invitee.GotoAsync(link);
        await Assertions.Expect(invitee.Locator("[data-testid=invitation-summary]")).ToContainTextAsync($"{DemoUsers.Coordinator} invites you to the study {study} as Reader");
        await invitee.Locator("#name").FillAsync("Dr. Linked");
        await invitee.Locator("#password").FillAsync("Linked-pass-2026");
        await invitee.Locator("#confirm").FillAsync("Linked-pass-2027");
        await invitee.ClickAsync("[data-testid=complete-invitation]");
        await Assertions.Expect(invitee.Locator("[data-testid=invitation-error]")).ToHaveTextAsync("The two passwords differ.");
        // Identity's password policy applies as it does to accounts an administrator creates.
        await invitee.Locator("#password").FillAsync("short");
        await invitee.Locator("#confirm").FillAsync("short");
        await invitee.ClickAsync("[data-testid=complete-invitation]");
        await Assertions.Expect(invitee.Locator("[data-testid=invitation-error]")).ToContainTextAsync("Passwords must be at least");
        await invitee.Locator("#password").FillAsync("Linked-pass-2026");
        await invitee.Locator("#confirm").FillAsync("Linked-pass-2026");
        await invitee.ClickAsync("[data-testid=complete-invitation]");
        await Assertions.Expect(invitee.Locator("[data-testid=signed-in-as]")).ToHaveTextAsync(email, new() { Timeout = 20_000 });

        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("[data-testid=member-row]", new() { HasText = email })).ToContainTextAsync("Dr. Linked");
        await Assertions.Expect(page.Locator("[data-testid=invitation-row]", new() { HasText = email })).ToHaveCountAsync(0);

        // Once used, the link makes nothing more: another visitor is told, and no form is offered.
        var stranger = await (await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = browser.BaseUrl })).NewPageAsync();
        await stranger.GotoAsync(link);
        await Assertions.Expect(stranger.Locator("[data-testid=invitation-refused]")).ToContainTextAsync("This invitation has been used");
        await Assertions.Expect(stranger.Locator("[data-testid=complete-invitation]")).ToHaveCountAsync(0);
        await stranger.GotoAsync(link[..^4] + "0000");
        await Assertions.Expect(stranger.Locator("[data-testid=invitation-refused]")).ToContainTextAsync("This invitation link is not valid");
        await stranger.Context.CloseAsync();
        await context.CloseAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Coordinator_InvitesSomeoneWithoutAnAccount_AndTheAdministratorSeesTheInvitationWaiting()
    {
        var page = await browser.SignedInPageAsync(DemoUsers.Coordinator);
        await page.GotoAsync("/studies");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.Locator("[data-testid=new-study-name]").FillAsync($"Invited panel {Guid.NewGuid().ToString()[..8]}");
        await page.ClickAsync("[data-testid=create-study]");
        await Assertions.Expect(page.Locator("[data-testid=study-name]")).ToContainTextAsync("Invited panel");
        var email = $"visiting.{Guid.NewGuid():N}"[..24] + "@hospital.test";

        await page.Locator("[data-testid=member-email]").FillAsync(email);
        await page.ClickAsync("[data-testid=add-member]");

        await Assertions.Expect(page.Locator("body")).ToContainTextAsync($"{email} is invited as Reader");
        await Assertions.Expect(page.Locator("[data-testid=study-invitations] [data-testid=invitation-row]")).ToContainTextAsync(email);
        await Assertions.Expect(page.Locator("[data-testid=member-row]", new() { HasText = email })).ToHaveCountAsync(0);
        var admin = await browser.SignedInPageAsync(DemoUsers.Admin);
        await admin.GotoAsync("/admin/users");
        await Assertions.Expect(admin.Locator("[data-testid=open-invitations] [data-testid=invitation-row]", new() { HasText = email })).ToContainTextAsync("Invited panel");
        await page.Context.CloseAsync();
        await admin.Context.CloseAsync();
    }

    [Fact]
    public async Task Coordinator_CreatesAStudyAndAssignsAReader_InTheBrowser()
    {
        var page = await browser.SignedInPageAsync(DemoUsers.Coordinator);
        var name = $"Synthetic CT pilot {Guid.NewGuid().ToString()[..8]}";

        await page.GotoAsync("/studies");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.Locator("[data-testid=new-study-name]").FillAsync(name);
        await page.ClickAsync("[data-testid=create-study]");
        // The new study's page reads its panels' data first (series, reading design, batches): longer than 5 s on a loaded runner.
        await Assertions.Expect(page.Locator("[data-testid=study-name]")).ToHaveTextAsync(name, new() { Timeout = 20_000 });
        await page.Locator("[data-testid=member-email]").FillAsync(DemoUsers.Reader2);
        await page.ClickAsync("[data-testid=add-member]");

        await Assertions.Expect(page.Locator("[data-testid=member-row]", new() { HasText = DemoUsers.Reader2 })).ToBeVisibleAsync();
        var reader = await browser.SignedInPageAsync(DemoUsers.Reader2);
        await Assertions.Expect(reader.Locator("[data-testid=dashboard-reader]")).ToContainTextAsync(name);
        await page.Context.CloseAsync();
        await reader.Context.CloseAsync();
    }

    [Fact]
    public async Task Admin_AuditLog_FiltersByWhatHappened_AndNamesTheStudy()
    {
        using var coordinator = await browser.NewApiClient().SignedInAsAsync(DemoUsers.Coordinator);
        var name = $"Audited {Guid.NewGuid():N}"[..20];
        var study = await coordinator.CreateStudyAsync(name);
        await coordinator.Http.PutAsJsonAsync($"/api/studies/{study}", new ReaderStudy.Web.Features.Studies.StudyEdit(name, "described"));
        var page = await browser.SignedInPageAsync(DemoUsers.Admin);

        await page.GotoAsync("/admin/audit");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.Locator("[data-testid=audit-action]").FillAsync("Study.modified");
        await page.Locator("[data-testid=audit-user]").FillAsync("coordinator@");
        await page.ClickAsync("[data-testid=audit-find]");

        var rows = page.Locator("[data-testid=audit-row]");
        await Assertions.Expect(rows.Filter(new() { HasText = name })).ToHaveCountAsync(1);
        await Assertions.Expect(rows.Filter(new() { HasText = name })).ToContainTextAsync("Description");
        Assert.All(await rows.AllInnerTextsAsync(), row => Assert.Contains("Study.modified", row));
        var export = await page.Locator("[data-testid=audit-export]").GetAttributeAsync("href");
        Assert.Contains("action=Study.modified", export);
        Assert.Contains("user=coordinator@", export);
        // The link exports what the page shows: fetched with the admin's session, every row is a change by the coordinator.
        var csv = await (await page.APIRequest.GetAsync(export!)).TextAsync();
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        Assert.Contains(lines, l => l.Contains(name));
        Assert.All(lines, l => Assert.Contains($",{DemoUsers.Coordinator},Study.modified,", l));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Admin_DeactivatesAndReactivatesAnAccount_OnTheAccountsPage()
    {
        using var admin = await browser.NewApiClient().SignedInAsAsync(DemoUsers.Admin);
        var email = $"leaver-{Guid.NewGuid():N}"[..15] + "@hospital.test";
        Assert.Equal(System.Net.HttpStatusCode.Created, (await admin.Http.PostAsJsonAsync("/api/admin/users",
            new ReaderStudy.Web.Features.Admin.NewUser(email, "Dr Leaver", "Reader", "Leaver-Password-2026!"))).StatusCode);
        var page = await browser.SignedInPageAsync(DemoUsers.Admin);

        await page.GotoAsync("/admin/users");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        var row = page.Locator("[data-testid=user-row]", new() { HasText = email });
        await Assertions.Expect(row.Locator("[data-testid=user-status]")).ToHaveTextAsync("Active");
        await row.Locator("[data-testid=user-deactivate]").ClickAsync();
        await Assertions.Expect(row.Locator("[data-testid=user-status]")).ToHaveTextAsync("Deactivated");
        using (var leaver = browser.NewApiClient())
        {
            var refused = await leaver.SignInAsync(email, "Leaver-Password-2026!");
            Assert.Contains("Account", refused.RedirectPath());
        }
        await row.Locator("[data-testid=user-reactivate]").ClickAsync();
        await Assertions.Expect(row.Locator("[data-testid=user-status]")).ToHaveTextAsync("Active");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ThemeToggle_SwitchesToDarkAndRemembersIt()
    {
        var page = await browser.SignedInPageAsync(DemoUsers.Statistician);

        await page.ClickAsync("[data-testid=theme-toggle]");
        await page.WaitForFunctionAsync("() => localStorage.getItem('readerstudy.darkMode') === 'true'");
        await page.ReloadAsync();
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });

        await Assertions.Expect(page.Locator("[aria-label='Toggle dark theme']")).ToBeVisibleAsync();
        Assert.Equal("true", await page.EvaluateAsync<string>("() => localStorage.getItem('readerstudy.darkMode')"));
        await page.Context.CloseAsync();
    }
}
