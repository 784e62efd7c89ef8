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
        // What the page did after the kill, for the failure message: answers sent and their replies, navigations.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var timeline = new System.Collections.Concurrent.ConcurrentQueue<string>();
        page.Response += (_, r) =>
        {
            if (r.Url.Contains("/answers", StringComparison.Ordinal) || r.Request.IsNavigationRequest)
            {
                timeline.Enqueue($"{clock.Elapsed.TotalSeconds:F1}s {r.Request.Method} {new Uri(r.Url).AbsolutePath} {r.Status} {r.Headers.GetValueOrDefault("x-readerstudy-node")}");
            }
        };
        page.RequestFailed += (_, r) => timeline.Enqueue($"{clock.Elapsed.TotalSeconds:F1}s {r.Method} {new Uri(r.Url).AbsolutePath} failed: {r.Failure}");
        page.FrameNavigated += (_, f) => { if (f.ParentFrame is null) timeline.Enqueue($"{clock.Elapsed.TotalSeconds:F1}s navigated to {f.Url}"); };
        page.Console += (_, m) => timeline.Enqueue($"{clock.Elapsed.TotalSeconds:F1}s console {m.Type}: {m.Text}");
        (before == "web-1" ? web1 : web2).Kill();

        await AnswerReading.ClickAsync(page, "[data-testid=answer-2] [data-testid=score-4]");
        await AnswerReading.ClickAsync(page, "[data-testid=answer-3-left] [data-testid=score-3]");
        await AnswerReading.ClickAsync(page, "[data-testid=answer-1] [data-testid=choose-right]");
        var expected = new List<(int, string, string)> { (1, "", "right"), (2, "", "4"), (3, "left", "3") };
        var stored = await AnswerReading.StoredWithinAsync(connectionString, expected, TimeSpan.FromSeconds(60));

        // CI saw this fail twice (nothing sent after the kill stored within 60 s) and never here alone: on failure,
        // say where the page stood, what its outbox held, and what the proxy and the surviving process logged.
        var survivor = before == "web-1" ? web2 : web1;
        Assert.True(expected.SequenceEqual(stored), $"stored {string.Join(", ", stored)}; expected {string.Join(", ", expected)}\n"
            + await PageStateAsync(page) + $"\ntimeline:\n{string.Join("\n", timeline)}\nproxy log:\n{Tail(proxy.Log)}\nsurviving process log:\n{Tail(survivor.Log)}");
        await page.Locator("[data-testid=viewport-1] canvas").First.WaitForAsync(new() { Timeout = 45_000 });
        await Assertions.Expect(page.Locator("[data-testid=answer-1] [data-testid=choose-right]")).ToHaveClassAsync(FilledButton(), new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("[data-testid=answer-3-left] [data-testid=score-3]")).ToHaveClassAsync(FilledButton());
        await Assertions.Expect(page.Locator("[data-outbox-state=pending]")).ToHaveCountAsync(0);
        Assert.DoesNotContain("/Account/Login", page.Url, StringComparison.Ordinal);
        Assert.Equal(before == "web-1" ? "web-2" : "web-1", await NodeOfAsync(page));
    }

    private static async Task<string> PageStateAsync(IPage page)
    {
        try
        {
            return $"page at {page.Url}; status '{await page.EvaluateAsync<string>("() => document.querySelector('[data-testid=saved]')?.textContent ?? '(none)'")}'; "
                + $"reconnect UI '{await page.EvaluateAsync<string>("() => document.getElementById('components-reconnect-modal')?.className ?? '(none)'")}'; "
                + $"session storage {await page.EvaluateAsync<string>("() => JSON.stringify(sessionStorage)")}; "
                + $"health through the proxy {await page.EvaluateAsync<string>("() => fetch('/health/live').then(r => r.status + ' ' + r.headers.get('X-ReaderStudy-Node'), e => String(e))")}";
        }
        catch (PlaywrightException e)
        {
            return $"page state unreadable: {e.Message}";
        }
    }

    private static string Tail(string log) => log.Length <= 4000 ? log : log[^4000..];

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
