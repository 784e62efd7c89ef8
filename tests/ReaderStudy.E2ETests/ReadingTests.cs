using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace ReaderStudy.E2ETests;

/// <summary>A radiologist's reading session in Chromium, on the demo study (three phantom pairs).</summary>
public sealed partial class ReadingTests(BrowserPortal browser) : IClassFixture<BrowserPortal>
{
    private async Task<IPage> StartReadingAsync(string reader)
    {
        var page = await browser.SignedInPageAsync(reader);
        await page.GotoAsync("/reading");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.ClickAsync("[data-testid=start-reading]");
        await page.Locator("[data-testid=viewport-1] canvas").First.WaitForAsync();
        return page;
    }

    private static async Task AnswerAllAsync(IPage page, string side)
    {
        await page.ClickAsync($"[data-testid=answer-1] [data-testid=choose-{side}]");
        await page.ClickAsync("[data-testid=answer-2] [data-testid=score-4]");
        foreach (var number in new[] { 3, 4, 7 })
        {
            await page.ClickAsync($"[data-testid=answer-{number}-left] [data-testid=score-3]");
            await page.ClickAsync($"[data-testid=answer-{number}-right] [data-testid=score-4]");
        }
        await page.ClickAsync("[data-testid=answer-5-left] [data-testid=choose-no]");
        await page.ClickAsync("[data-testid=answer-5-right] [data-testid=choose-yes]");
        await Assertions.Expect(page.Locator("[data-testid=saved]")).ToContainTextAsync("Saved");
    }

    [Fact]
    public async Task Reader_ReadsThreePairs_ClosesTheTabMidCase_AndResumesWithAnswersKept()
    {
        var page = await StartReadingAsync(DemoUsers.Reader1);
        await Assertions.Expect(page.Locator("[data-testid=case-position]")).ToHaveTextAsync("Case 1 of 3");

        // Use the viewer: wheel through slices, window/level, read a value in ms.
        var box = (await page.Locator("[data-testid=viewport-0]").BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(box.X + box.Width / 2, box.Y + box.Height * 0.55f);
        var sliceBefore = await page.Locator("[data-testid=slice-0]").TextContentAsync();
        await page.Mouse.WheelAsync(0, 120);
        await Assertions.Expect(page.Locator("[data-testid=slice-0]")).Not.ToHaveTextAsync(sliceBefore!);
        await Assertions.Expect(page.Locator("[data-testid=slice-1]")).ToHaveTextAsync((await page.Locator("[data-testid=slice-0]").TextContentAsync())!);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(box.X + box.Width / 2 + 40, box.Y + box.Height * 0.55f + 30, new() { Steps = 4 });
        await page.Mouse.UpAsync();
        await page.Mouse.MoveAsync(box.X + box.Width / 2, box.Y + box.Height * 0.6f);
        await Assertions.Expect(page.Locator("[data-testid=cursor-0]")).ToContainTextAsync(new Regex(@"T2 \d+(\.\d)? ms"));

        await AnswerAllAsync(page, "left");
        await page.ClickAsync("[data-testid=submit-case]");
        await Assertions.Expect(page.Locator("[data-testid=case-position]")).ToHaveTextAsync("Case 2 of 3");
        await AnswerAllAsync(page, "right");
        await page.ClickAsync("[data-testid=submit-case]");
        await Assertions.Expect(page.Locator("[data-testid=case-position]")).ToHaveTextAsync("Case 3 of 3");
        await page.ClickAsync("[data-testid=answer-1] [data-testid=choose-left]");
        await page.ClickAsync("[data-testid=answer-2] [data-testid=score-2]");
        await Assertions.Expect(page.Locator("[data-testid=saved]")).ToContainTextAsync("Saved");
        // Annotate a point in the right image: shift+click answers the annotation question with its mean T2.
        var right = (await page.Locator("[data-testid=viewport-1]").BoundingBoxAsync())!;
        await page.Keyboard.DownAsync("Shift");
        await page.Mouse.ClickAsync(right.X + right.Width / 2, right.Y + right.Height * 0.6f);
        await page.Keyboard.UpAsync("Shift");
        await Assertions.Expect(page.Locator("[data-testid=answer-8-right] [data-testid=annotation-value]")).ToContainTextAsync(new Regex(@"mean T2 \d+\.\d ms"));
        var orderBefore = await TrialOrderAsync(DemoUsers.Reader1);

        // The tab closes mid-case; the reader comes back in a new one.
        await page.Context.CloseAsync();
        var again = await StartReadingAsync(DemoUsers.Reader1);

        await Assertions.Expect(again.Locator("[data-testid=case-position]")).ToHaveTextAsync("Case 3 of 3");
        await Assertions.Expect(again.Locator("[data-testid=answer-1] [data-testid=choose-left]")).ToHaveClassAsync(new Regex("mud-button-filled"));
        await Assertions.Expect(again.Locator("[data-testid=answer-2] [data-testid=score-2]")).ToHaveClassAsync(new Regex("mud-button-filled"));
        await Assertions.Expect(again.Locator("[data-testid=progress]")).ToHaveTextAsync("2 submitted");
        Assert.Equal(orderBefore, await TrialOrderAsync(DemoUsers.Reader1));

        // The first case is locked: its answers cannot change.
        await again.GotoAsync(again.Url.Split('?')[0] + "?case=1");
        await Assertions.Expect(again.Locator("[data-testid=case-submitted]")).ToBeVisibleAsync();
        await Assertions.Expect(again.Locator("[data-testid=submit-case]")).ToBeDisabledAsync();
        await again.Context.CloseAsync();

        await using var db = browser.Portal.NewDbContext();
        var events = await db.ViewerEvents.CountAsync();
        Assert.True(events > 0, "the viewer interactions were not logged");
    }

    [Fact]
    public async Task Reader_DrawsAnEllipseRoi_AndItsMeanSdVoxelsAndArea_AnswerTheAnnotationQuestion()
    {
        var page = await StartReadingAsync(DemoUsers.Reader2);
        await page.Locator("[data-viewer]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        var voiBefore = await page.EvaluateAsync<string>("() => JSON.stringify(window.readerStudy.viewer.state(document.querySelector('[data-viewer]').dataset.viewer)[1].voi)");
        await page.ClickAsync("[data-testid=ellipse-tool]");
        await Assertions.Expect(page.Locator("[data-testid=ellipse-tool]")).ToHaveAttributeAsync("data-active", "true");

        // A drag 60 px across and 20 px down, in the right image, over the femoral cartilage band.
        var right = (await page.Locator("[data-testid=viewport-1]").BoundingBoxAsync())!;
        var (x, y) = (right.X + right.Width / 2 - 30, right.Y + right.Height * 0.55f - 10);
        await page.Mouse.MoveAsync(x, y);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(x + 60, y + 20, new() { Steps = 6 });
        await page.Mouse.UpAsync();

        var shown = page.Locator("[data-testid=answer-8-right] [data-testid=annotation-value]");
        await Assertions.Expect(shown).ToContainTextAsync(new Regex(@"ellipse at \(\d+, \d+\): mean T2 \d+\.\d ms, SD \d+\.\d ms, \d+ voxels, \d+\.\d mm²"));
        await Assertions.Expect(page.Locator("[data-testid=viewport-1] svg ellipse")).ToHaveCountAsync(1);
        // Drawing did not move the window: the left button was the ellipse's, not window/level's.
        Assert.Equal(voiBefore, await page.EvaluateAsync<string>("() => JSON.stringify(window.readerStudy.viewer.state(document.querySelector('[data-viewer]').dataset.viewer)[1].voi)"));

        await using var db = browser.Portal.NewDbContext();
        var reader = await db.Users.Where(u => u.Email == DemoUsers.Reader2).Select(u => u.Id).SingleAsync();
        var stored = await db.Answers.Where(a => a.Side == "right" && db.Trials.Any(t => t.Id == a.TrialId && t.ReaderId == reader) && a.Value.Contains("ellipse")).Select(a => a.Value).SingleAsync();
        Assert.True(Web.Features.Reading.AnnotationValue.TryParse(stored, out var ellipse), stored);
        // Wider than tall, as drawn; an ellipse of those radii holds about pi * a * b voxels.
        Assert.True(ellipse!.Radius > ellipse.RadiusRows, stored);
        Assert.InRange(ellipse.Voxels!.Value, 0.6 * Math.PI * ellipse.Radius * ellipse.RadiusRows!.Value, 1.4 * Math.PI * ellipse.Radius * ellipse.RadiusRows.Value + 4);
        Assert.InRange(ellipse.MeanT2, 1, 200);

        // The reader corrects it: the ellipse's right handle (where the drawn ellipse is, on the screen) dragged 30 px
        // further right. The answer follows the shape.
        var handle = await page.EvaluateAsync<double[]>("""
            () => { const e = document.querySelector('[data-testid=viewport-1] svg ellipse').getBoundingClientRect();
                    return [e.right, e.top + e.height / 2]; }
            """);
        await page.Mouse.MoveAsync((float)handle[0], (float)handle[1]);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync((float)handle[0] + 30, (float)handle[1], new() { Steps = 6 });
        await page.Mouse.UpAsync();
        Web.Features.Reading.AnnotationValue? widened = null;
        for (var wait = 0; wait < 40 && (widened is null || widened.Radius <= ellipse.Radius); wait++)
        {
            await Task.Delay(250);
            await using var again = browser.Portal.NewDbContext();
            var value = await again.Answers.Where(a => a.Side == "right" && again.Trials.Any(t => t.Id == a.TrialId && t.ReaderId == reader) && a.Value.Contains("ellipse")).Select(a => a.Value).SingleAsync();
            Web.Features.Reading.AnnotationValue.TryParse(value, out widened);
        }
        Assert.True(widened!.Radius > ellipse.Radius, $"radius {ellipse.Radius} after the drag: {widened.Radius}");
        Assert.Equal(ellipse.RadiusRows, widened.RadiusRows);
        await Assertions.Expect(page.Locator("[data-testid=viewport-1] svg ellipse")).ToHaveCountAsync(1);

        // A freehand outline in the left image: a closed square path.
        await page.ClickAsync("[data-testid=polygon-tool]");
        await Assertions.Expect(page.Locator("[data-testid=ellipse-tool]")).ToHaveAttributeAsync("data-active", "false");
        var left = (await page.Locator("[data-testid=viewport-0]").BoundingBoxAsync())!;
        var (lx, ly) = (left.X + left.Width / 2 - 20, left.Y + left.Height * 0.55f - 20);
        await page.Mouse.MoveAsync(lx, ly);
        await page.Mouse.DownAsync();
        foreach (var (dx, dy) in new[] { (40, 0), (40, 40), (0, 40), (0, 2) })
        {
            await page.Mouse.MoveAsync(lx + dx, ly + dy, new() { Steps = 8 });
        }
        await page.Mouse.MoveAsync(lx, ly, new() { Steps = 2 });
        await page.Mouse.UpAsync();
        await Assertions.Expect(page.Locator("[data-testid=answer-8-left] [data-testid=annotation-value]"))
            .ToContainTextAsync(new Regex(@"outline at \(\d+, \d+\): mean T2 \d+\.\d ms, SD \d+\.\d ms, \d+ voxels, \d+\.\d mm²"));

        // A length in the right image replaces the ellipse as that image's answer.
        await page.ClickAsync("[data-testid=length-tool]");
        await page.Mouse.MoveAsync(x, y);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(x + 60, y, new() { Steps = 6 });
        await page.Mouse.UpAsync();
        await Assertions.Expect(shown).ToContainTextAsync(new Regex(@"length \d+\.\d mm from \(\d+, \d+\) to \(\d+, \d+\)"));
        var length = await db.Answers.Where(a => a.Side == "right" && db.Trials.Any(t => t.Id == a.TrialId && t.ReaderId == reader) && a.Value.Contains("length")).Select(a => a.Value).SingleAsync();
        Assert.True(Web.Features.Reading.AnnotationValue.TryParse(length, out var line), length);
        // Drawn level: the same row at both ends, the length the columns apart times the pixel spacing (> 0).
        Assert.Equal(line!.Points![0][1], line.Points[1][1]);
        Assert.True(line.LengthMm > 0, length);
        await page.Context.CloseAsync();
    }

    private async Task<List<Guid>> TrialOrderAsync(string reader)
    {
        await using var db = browser.Portal.NewDbContext();
        var id = await db.Users.Where(u => u.Email == reader).Select(u => u.Id).SingleAsync();
        return await db.Trials.Where(t => t.ReaderId == id).OrderBy(t => t.Position).Select(t => t.CaseId).ToListAsync();
    }
}
