using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ReaderStudy.E2ETests;

/// <summary>The portal on a real Kestrel port, and Debian's Chromium driven by Playwright.</summary>
public class BrowserPortal : IAsyncLifetime
{
    public PortalFactory Portal { get; private set; } = default!;

    /// <summary>The portal to serve; the fault tests give one on a PostgreSQL server of their own.</summary>
    protected virtual PortalFactory CreatePortal() => new BrowserTestPortal();
    public string BaseUrl { get; private set; } = "";
    public IBrowser Browser { get; private set; } = default!;
    private IPlaywright playwright = default!;

    public async Task InitializeAsync()
    {
        Portal = CreatePortal();
        Portal.UseKestrel(0);
        Portal.StartServer();
        BaseUrl = Portal.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        playwright = await Playwright.CreateAsync();
        Browser = await LaunchChromiumAsync(playwright);
    }

    /// <summary>Debian's Chromium, headless, with the flags the brief sets.</summary>
    public static Task<IBrowser> LaunchChromiumAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath(),
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        });

    /// <summary>An API client of its own (cookies and all) against the running server, for arranging data.</summary>
    public PortalClient NewApiClient() =>
        new(new HttpClient(new HttpClientHandler { CookieContainer = new System.Net.CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = new Uri(BaseUrl) });

    /// <summary>A fresh browser context (its own cookies) signed in through the real sign-in form.</summary>
    public Task<IPage> SignedInPageAsync(string email, string password = PortalClient.DemoPassword) => SignedInPageAsync(Browser, BaseUrl, email, password);

    /// <summary>A fresh browser context on any portal (a portal process too), signed in through the real form.</summary>
    public static async Task<IPage> SignedInPageAsync(IBrowser browser, string baseUrl, string email, string password = PortalClient.DemoPassword)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl, ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/Account/Login");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", password);
        await page.ClickAsync("[data-testid=sign-in]");
        await page.WaitForURLAsync(url => !url.Contains("/Account/", StringComparison.Ordinal));
        // Interactive once the circuit is up and the layout has rendered its navigation.
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        return page;
    }

    private static string ChromiumPath()
    {
        var path = Environment.GetEnvironmentVariable("READERSTUDY_CHROMIUM");
        path = string.IsNullOrWhiteSpace(path) ? "/usr/bin/chromium" : path;
        return File.Exists(path) ? path : throw new InvalidOperationException($"Chromium is not at {path}: install Debian's chromium (deploy/test.sh does) or set READERSTUDY_CHROMIUM.");
    }

    public virtual async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        playwright.Dispose();
        await Portal.DisposeAsync();
    }
}
