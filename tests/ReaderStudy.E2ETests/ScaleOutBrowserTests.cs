using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace ReaderStudy.E2ETests;

/// <summary>
/// A reader in Chromium reaches two web processes through the project's reverse proxy. The process the page is on is
/// killed (SIGKILL) and not restarted: the page carries on at the other process through the same address, the
/// answers clicked meanwhile are stored once, and the reader is not asked to sign in again.
/// </summary>
public sealed partial class ScaleOutBrowserTests : IDisposable
{
    private readonly string data = Directory.CreateTempSubdirectory("readerstudy-browser-scale-out-").FullName;

    [Fact]
    public async Task ReaderBehindTheProxy_ProcessKilled_PageGoesOnAtTheOtherProcess_AnswersStoredOnce()
    {
        var connectionString = PostgresServer.NewDatabase();
        var settings = new Dictionary<string, string>(PortalProcess.DemoSettings(TestDatabase.Postgres, connectionString, data)) { ["Hosting:Role"] = "Web" };
        using var web1 = await PortalProcess.StartAsync(new Dictionary<string, string>(settings) { ["Hosting:NodeName"] = "web-1" });
        using var web2 = await PortalProcess.StartAsync(new Dictionary<string, string>(settings) { ["Hosting:NodeName"] = "web-2" });
        using var proxy = await PortalProcess.StartProxyAsync(new Dictionary<string, PortalProcess> { ["web-1"] = web1, ["web-2"] = web2 });
        using var playwright = await Playwright.CreateAsync();
        await using var chromium = await BrowserPortal.LaunchChromiumAsync(playwright);

        var page = await AnswerReading.StartAsync(BrowserPortal.SignedInPageAsync(chromium, proxy.Address.ToString(), DemoUsers.Reader1));
        await page.ClickAsync("[data-testid=answer-1] [data-testid=choose-left]");
        await Assertions.Expect(page.Locator("[data-testid=saved]")).ToContainTextAsync("Saved at");
        var before = await NodeOfAsync(page);
        (before == "web-1" ? web1 : web2).Kill();

        await AnswerReading.ClickAsync(page, "[data-testid=answer-2] [data-testid=score-4]");
        await AnswerReading.ClickAsync(page, "[data-testid=answer-3-left] [data-testid=score-3]");
        await AnswerReading.ClickAsync(page, "[data-testid=answer-1] [data-testid=choose-right]");
        var expected = new List<(int, string, string)> { (1, "", "right"), (2, "", "4"), (3, "left", "3") };
        var stored = await AnswerReading.StoredWithinAsync(connectionString, expected, TimeSpan.FromSeconds(60));

        Assert.Equal(expected, stored);
        await page.Locator("[data-testid=viewport-1] canvas").First.WaitForAsync(new() { Timeout = 45_000 });
        await Assertions.Expect(page.Locator("[data-testid=answer-1] [data-testid=choose-right]")).ToHaveClassAsync(FilledButton(), new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("[data-testid=answer-3-left] [data-testid=score-3]")).ToHaveClassAsync(FilledButton());
        await Assertions.Expect(page.Locator("[data-outbox-state=pending]")).ToHaveCountAsync(0);
        Assert.DoesNotContain("/Account/Login", page.Url, StringComparison.Ordinal);
        Assert.Equal(before == "web-1" ? "web-2" : "web-1", await NodeOfAsync(page));
    }

    /// <summary>The process behind the proxy that answers this page's requests (its affinity cookie goes along).</summary>
    private static Task<string> NodeOfAsync(IPage page) =>
        page.EvaluateAsync<string>("() => fetch('/health/live').then(r => r.headers.get('X-ReaderStudy-Node'))");

    [GeneratedRegex("mud-button-filled")]
    private static partial Regex FilledButton();

    public void Dispose()
    {
        try { Directory.Delete(data, recursive: true); } catch (IOException) { }
    }
}
