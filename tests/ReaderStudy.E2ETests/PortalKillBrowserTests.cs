using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using ReaderStudy.Core.Data;

namespace ReaderStudy.E2ETests;

/// <summary>
/// The portal process killed (SIGKILL) while a reader answers in Chromium, and started again on the same port and
/// PostgreSQL database: answers clicked while it was down are kept by the page, sent to the new process, and stored
/// once; the page ends up showing what is stored.
/// </summary>
public sealed partial class PortalKillBrowserTests : IDisposable
{
    private readonly string data = Directory.CreateTempSubdirectory("readerstudy-browser-kill-").FullName;

    [Fact]
    public async Task ReaderAnswering_PortalKilledAndRestarted_AnswersGivenMeanwhileAreStoredOnce()
    {
        var connectionString = PostgresServer.NewDatabase();
        var settings = PortalProcess.DemoSettings(TestDatabase.Postgres, connectionString, data);
        using var playwright = await Playwright.CreateAsync();
        await using var chromium = await BrowserPortal.LaunchChromiumAsync(playwright);
        var first = await PortalProcess.StartAsync(settings);
        PortalProcess? second = null;
        try
        {
            var page = await AnswerReading.StartAsync(BrowserPortal.SignedInPageAsync(chromium, first.Address.ToString(), DemoUsers.Reader1));
            await page.ClickAsync("[data-testid=answer-1] [data-testid=choose-left]");
            await Assertions.Expect(page.Locator("[data-testid=saved]")).ToContainTextAsync("Saved at");

            first.Kill();
            var down = Stopwatch.StartNew();
            await AnswerReading.ClickAsync(page, "[data-testid=answer-2] [data-testid=score-4]");
            await AnswerReading.ClickAsync(page, "[data-testid=answer-3-left] [data-testid=score-3]");
            await AnswerReading.ClickAsync(page, "[data-testid=answer-1] [data-testid=choose-right]");
            await Assertions.Expect(page.Locator("[data-testid=answer-2]")).ToHaveAttributeAsync("data-outbox-state", "pending");

            second = await PortalProcess.StartAsync(settings, first.Address.Port);
            var expected = new List<(int, string, string)> { (1, "", "right"), (2, "", "4"), (3, "left", "3") };
            var stored = await AnswerReading.StoredWithinAsync(connectionString, expected, TimeSpan.FromSeconds(45));
            var recovered = down.Elapsed;
            Assert.Equal(expected, stored);

            // Whether Blazor rejoined or reloaded the page, it shows what is stored and nothing as unsent.
            await page.Locator("[data-testid=viewport-1] canvas").First.WaitForAsync(new() { Timeout = 45_000 });
            await Assertions.Expect(page.Locator("[data-testid=answer-1] [data-testid=choose-right]")).ToHaveClassAsync(FilledButton(), new() { Timeout = 30_000 });
            await Assertions.Expect(page.Locator("[data-testid=answer-3-left] [data-testid=score-3]")).ToHaveClassAsync(FilledButton());
            await Assertions.Expect(page.Locator("[data-testid=saved]")).Not.ToContainTextAsync("Not saved");
            await Assertions.Expect(page.Locator("[data-outbox-state=pending]")).ToHaveCountAsync(0);
            Console.WriteLine($"SIGKILL: 3 answers given while the portal was down, 3 stored once, 0 lost; all stored {recovered.TotalSeconds:0.0} s after the kill");
        }
        finally
        {
            first.Dispose();
            second?.Dispose();
        }
    }

    [GeneratedRegex("mud-button-filled")]
    private static partial Regex FilledButton();

    public void Dispose()
    {
        try { Directory.Delete(data, recursive: true); } catch (IOException) { }
    }
}
