using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using ReaderStudy.Core.Reading;

namespace ReaderStudy.E2ETests;

/// <summary>The browser portal on a PostgreSQL server of its own, which a test may restart.</summary>
public sealed class FaultBrowserPortal : BrowserPortal
{
    public OwnPostgresServer Database { get; } = new();

    protected override PortalFactory CreatePortal() =>
        new(TestDatabase.Postgres, new Dictionary<string, string> { ["Database:ConnectionString"] = Database.ConnectionString("browser_faults"), ["Demo:PhantomSubjects"] = "2" });

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Database.Dispose();
    }
}

/// <summary>A reader clicking answers in Chromium while PostgreSQL restarts: every answer saved once, the page truthful throughout.</summary>
public sealed class DatabaseFaultBrowserTests(FaultBrowserPortal browser) : IClassFixture<FaultBrowserPortal>
{
    [Fact]
    public async Task Reader_AnsweringWhilePostgresRestarts_SeesEveryAnswerSaved_AndEachIsStoredOnce()
    {
        var page = await browser.SignedInPageAsync(DemoUsers.Reader1);
        await page.GotoAsync("/reading");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.ClickAsync("[data-testid=start-reading]");
        await page.Locator("[data-testid=viewport-1] canvas").First.WaitForAsync();
        await page.ClickAsync("[data-testid=answer-1] [data-testid=choose-left]");
        await Assertions.Expect(page.Locator("[data-testid=saved]")).ToContainTextAsync("Saved");

        var restart = Task.Run(browser.Database.Restart);
        await page.ClickAsync("[data-testid=answer-2] [data-testid=score-4]");
        await page.ClickAsync("[data-testid=answer-3-left] [data-testid=score-3]");
        await page.ClickAsync("[data-testid=answer-3-right] [data-testid=score-5]");
        await page.ClickAsync("[data-testid=answer-1] [data-testid=choose-right]");
        await restart;

        await Assertions.Expect(page.Locator("[data-testid=saved]")).ToContainTextAsync("Saved at", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("[data-testid=error-ui]")).ToBeHiddenAsync();
        await using var db = browser.Portal.NewDbContext();
        var reader = await db.Users.SingleAsync(u => u.Email == DemoUsers.Reader1);
        var trial = await db.Trials.Where(t => t.ReaderId == reader.Id).OrderBy(t => t.Position).FirstAsync();
        var answers = await db.Answers.Where(a => a.TrialId == trial.Id).Join(db.Questions, a => a.QuestionId, q => q.Id, (a, q) => new { q.Order, a.Side, a.Value }).ToListAsync();
        Assert.Equal([(1, "", "right"), (2, "", "4"), (3, "left", "3"), (3, "right", "5")], answers.Select(a => (a.Order, a.Side, a.Value)).Order());
        await page.Context.CloseAsync();
    }
}
