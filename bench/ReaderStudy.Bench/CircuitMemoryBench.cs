using System.Diagnostics;
using Microsoft.Playwright;
using ReaderStudy.Testing;

namespace ReaderStudy.Bench;

/// <summary>
/// Memory per open reading page: the portal (SQLite, demo seed) as its own process, N readers each with the reading
/// page open in Chromium (a Blazor circuit each, the viewer showing both maps); the portal's resident memory after
/// one page and after N, each the lower of two readings 5 s apart (resident memory moves with garbage collection).
/// </summary>
internal static class CircuitMemoryBench
{
    public static async Task RunAsync(int pages)
    {
        var data = Directory.CreateTempSubdirectory("readerstudy-circuits-").FullName;
        using var portal = await PortalProcess.StartAsync(new Dictionary<string, string>
        {
            ["Storage:DataFolder"] = data,
            ["Demo:Seed"] = "true",
            ["Demo:ExtraReaders"] = $"{Math.Max(0, pages - 2)}",
            ["Demo:PhantomSubjects"] = "2",
            ["Demo:PhantomSize"] = "192",
            ["Demo:PhantomSlices"] = "16",
            ["RateLimits:SignInsPerMinute"] = "100000",
            ["Serilog:MinimumLevel:Default"] = "Warning",
        });
        using var playwright = await Playwright.CreateAsync();
        await using var chromium = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("READERSTUDY_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        });
        var opened = new List<IPage>();
        double afterFirst = 0;
        var clock = Stopwatch.StartNew();
        for (var n = 1; n <= pages; n++)
        {
            opened.Add(await OpenReadingAsync(chromium, portal.Address.ToString(), $"reader{n}@readerstudy.local"));
            if (n == 1)
            {
                afterFirst = await SettledMegabytesAsync(portal);
            }
        }
        var afterAll = await SettledMegabytesAsync(portal);
        Console.WriteLine($"circuits: {pages} reading pages open (192x192x16 phantom maps), portal resident {afterFirst:0} MB with 1, {afterAll:0} MB with {pages}: "
            + $"{(afterAll - afterFirst) / Math.Max(1, pages - 1):0.0} MB per further open page ({clock.Elapsed.TotalSeconds:0} s to open them)");
        foreach (var page in opened)
        {
            await page.Context.CloseAsync();
        }
        portal.Kill();
        try { Directory.Delete(data, recursive: true); } catch (IOException) { }
    }

    private static async Task<IPage> OpenReadingAsync(IBrowser chromium, string baseUrl, string email)
    {
        var context = await chromium.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl, ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/Account/Login");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", PortalClient.DemoPassword);
        await page.ClickAsync("[data-testid=sign-in]");
        await page.WaitForURLAsync(url => !url.Contains("/Account/", StringComparison.Ordinal));
        await page.GotoAsync("/reading");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.ClickAsync("[data-testid=start-reading]");
        await page.Locator("[data-testid=viewport-1] canvas").First.WaitForAsync(new() { Timeout = 60_000 });
        return page;
    }

    // Resident memory moves with garbage collection; the lower of two readings 5 s apart is the settled figure.
    private static async Task<double> SettledMegabytesAsync(PortalProcess portal)
    {
        var first = portal.ResidentMegabytes;
        await Task.Delay(5000);
        return Math.Min(first, portal.ResidentMegabytes);
    }
}
