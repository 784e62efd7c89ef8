using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace ReaderStudy.E2ETests;

/// <summary>Time per case counts every visit, also the one that ends with the tab closed, and no more.</summary>
public sealed class CaseTimeTests(BrowserPortal browser) : IClassFixture<BrowserPortal>
{
    [Fact]
    public async Task At1280Pixels_TheFormFitsAndTheColourBarStaysBesideTheImage()
    {
        var page = await AnswerReading.StartAsync(browser.SignedInPageAsync(DemoUsers.Reader1));
        Assert.Equal(1280, page.ViewportSize!.Width);
        var form = page.Locator("[data-testid=question-form]");
        var (scrollWidth, clientWidth) = (await form.EvaluateAsync<int>("e => e.scrollWidth"), await form.EvaluateAsync<int>("e => e.clientWidth"));
        Assert.True(scrollWidth <= clientWidth, $"the form overflows: {scrollWidth} > {clientWidth} px");
        var formBox = (await form.BoundingBoxAsync())!;
        foreach (var button in await page.Locator("[data-testid=question-form] button").AllAsync())
        {
            var box = (await button.BoundingBoxAsync())!;
            Assert.True(box.X + box.Width <= formBox.X + formBox.Width + 0.5, "a button lies outside the form");
        }
        foreach (var pane in new[] { 0, 1 })
        {
            var canvas = (await page.Locator($"[data-testid=viewport-{pane}] canvas").First.BoundingBoxAsync())!;
            var scale = (await page.Locator($"[data-testid=scale-{pane}]").BoundingBoxAsync())!;
            Assert.True(scale.X >= canvas.X + canvas.Width - 0.5, $"pane {pane}: the colour bar covers the image's edge");
        }
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task TimeOnACase_IsRecordedWhenTheReaderMovesOn_AndWhenTheTabCloses()
    {
        var page = await AnswerReading.StartAsync(browser.SignedInPageAsync(DemoUsers.Reader2));
        await Assertions.Expect(page.Locator("[data-testid=case-position]")).ToHaveTextAsync("Case 1 of 3");
        await Task.Delay(3000);
        await page.ClickAsync("[data-testid=next]");
        await Assertions.Expect(page.Locator("[data-testid=case-position]")).ToHaveTextAsync("Case 2 of 3");
        await page.Locator("[data-testid=viewport-1] canvas").First.WaitForAsync();
        await Task.Delay(2000);
        var closed = DateTimeOffset.UtcNow;
        await page.CloseAsync(new() { RunBeforeUnload = true });

        // Within seconds of the close, not when the server's copy of the page is disposed minutes later.
        double[] seconds = [];
        for (var attempt = 0; attempt < 50; attempt++)
        {
            await using var db = browser.Portal.NewDbContext();
            var reader = await db.Users.Where(u => u.Email == DemoUsers.Reader2).Select(u => u.Id).SingleAsync();
            seconds = await db.Trials.Where(t => t.ReaderId == reader).OrderBy(t => t.Position).Select(t => t.SecondsSpent).ToArrayAsync();
            if (seconds[1] > 0) break;
            await Task.Delay(200);
        }
        Assert.InRange(seconds[0], 2.9, 30);
        Assert.InRange(seconds[1], 1.9, 30);
        Assert.Equal(0, seconds[2]);
        Assert.True(DateTimeOffset.UtcNow - closed < TimeSpan.FromSeconds(15));
        await page.Context.CloseAsync();
    }
}
