using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using ReaderStudy.Core.Studies;
using ReaderStudy.Web.Features.Data;

namespace ReaderStudy.E2ETests;

/// <summary>The browser portal whose demo also holds the synthetic-CT and mammography studies.</summary>
public sealed class OtherKindsBrowserPortal : BrowserPortal
{
    protected override PortalFactory CreatePortal() => new OtherKindsPortal();
}

/// <summary>
/// Reading a CT study with window presets and a mammography study one 2-D image at a time, and a CT study's results,
/// in Chromium; one class, so one portal seeds these studies and its tests do not compete for the decoder.
/// </summary>
public sealed partial class OtherStudyKindsBrowserTests(OtherKindsBrowserPortal browser) : IClassFixture<OtherKindsBrowserPortal>
{
    private async Task<IPage> ReadAsync(string reader, string study, int panes)
    {
        var page = await browser.SignedInPageAsync(reader);
        await page.GotoAsync("/reading");
        // The list is prerendered: a click before the page is interactive can land on a button nothing handles yet.
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        var row = page.Locator("[data-testid=reading-study]", new() { HasText = study });
        await Assertions.Expect(row.Locator("[data-testid=reading-progress]")).ToContainTextAsync(new Regex(@"^0 of \d+ submitted · [\d.]+ min$"));
        await row.Locator("[data-testid=start-reading]").ClickAsync();
        try
        {
            // The first images of a fresh browser context can take a while on a loaded 2-core runner.
            await page.Locator($"[data-testid=viewport-{panes - 1}] canvas").First.WaitForAsync(new() { Timeout = 60_000 });
        }
        catch (TimeoutException)
        {
            // Say what the page showed instead: a viewer error, a rule message, or nothing yet.
            var error = await page.Locator("[data-testid=image-viewer]").First.GetAttributeAsync("data-viewer-error", new() { Timeout = 1_000 }).ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : null);
            throw new TimeoutException($"No viewer at {page.Url}; viewer error: {error ?? "none"}; page: {(await page.Locator("body").InnerTextAsync())[..Math.Min(600, (await page.Locator("body").InnerTextAsync()).Length)]}");
        }
        // The handle is set once the viewer has opened (after its canvases exist).
        await page.Locator("[data-testid=image-viewer][data-viewer]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        return page;
    }

    private static async Task<(double Lower, double Upper)[]> WindowsAsync(IPage page)
    {
        var handle = await page.Locator("[data-testid=image-viewer]").GetAttributeAsync("data-viewer");
        var state = await page.EvaluateAsync<double[][]>($"() => window.readerStudy.viewer.state('{handle}').map(s => [s.voi.lower, s.voi.upper])");
        return [.. state.Select(s => (s[0], s[1]))];
    }

    // Waits on the condition itself: the reader's last logged slice event reaches the database.
    private async Task WaitForLoggedSliceAsync(string reader, int slice)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            await using var db = browser.Portal.NewDbContext();
            var readerId = await db.Users.Where(u => u.Email == reader).Select(u => u.Id).SingleAsync();
            var last = await db.ViewerEvents.Where(e => e.Kind == "slice" && db.Trials.Any(t => t.Id == e.TrialId && t.ReaderId == readerId))
                .OrderByDescending(e => e.Id).Select(e => e.Detail).FirstOrDefaultAsync();
            if (last?.Contains($"\"slice\":{slice}", StringComparison.Ordinal) == true)
            {
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, $"the slice event never arrived; last: {last}");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task CtReader_ChoosesTheBonePreset_AndBothPanesShowIt_WithHounsfieldUnitsUnderTheCursor()
    {
        var page = await ReadAsync(DemoUsers.Reader1, DemoOtherKinds.PelvisStudyName, panes: 2);
        await Assertions.Expect(page.Locator("[data-testid=window-presets]")).ToContainTextAsync("Soft tissue");
        Assert.All(await WindowsAsync(page), w => Assert.Equal((-1024.0, 3071.0), w));

        await page.ClickAsync("[data-testid=preset-bone]");
        await Assertions.Expect(page.Locator("[data-testid=preset-bone]")).ToBeVisibleAsync();
        Assert.All(await WindowsAsync(page), w => Assert.Equal((-500.0, 1300.0), w));
        await page.ClickAsync("[data-testid=preset-soft-tissue]");
        Assert.All(await WindowsAsync(page), w => Assert.Equal((-160.0, 240.0), w));

        var box = (await page.Locator("[data-testid=viewport-0]").BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(box.X + box.Width / 2, box.Y + box.Height / 2);
        await Assertions.Expect(page.Locator("[data-testid=cursor-0]")).ToContainTextAsync(new Regex(@"\)  -?\d+ HU$"));
        await Assertions.Expect(page.Locator("[data-testid=slice-0]")).ToHaveTextAsync(new Regex(@"Slice \d+ / 8"));
        // No colour bar: CT is read in grey.
        Assert.Equal(0, await page.Locator("[data-testid=scale-0]").CountAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ACase_ReopensAtTheSliceTheReaderLeftItOn()
    {
        var page = await ReadAsync(DemoUsers.Reader2, DemoOtherKinds.PelvisStudyName, panes: 2);
        var label = page.Locator("[data-testid=slice-0]");
        // A case opens in the middle (8 slices: the 5th), the first time.
        await Assertions.Expect(label).ToHaveTextAsync("Slice 5 / 8");
        var box = (await page.Locator("[data-testid=viewport-0]").BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(box.X + box.Width / 2, box.Y + box.Height / 2);

        await page.Mouse.WheelAsync(0, 120);
        await Assertions.Expect(label).ToHaveTextAsync("Slice 6 / 8");
        await page.Mouse.WheelAsync(0, 120);
        await Assertions.Expect(label).ToHaveTextAsync("Slice 7 / 8");
        await WaitForLoggedSliceAsync(DemoUsers.Reader2, 6);
        await page.ReloadAsync();
        await page.Locator("[data-testid=viewport-1] canvas").First.WaitForAsync();

        await Assertions.Expect(page.Locator("[data-testid=slice-0]")).ToHaveTextAsync("Slice 7 / 8");
        await Assertions.Expect(page.Locator("[data-testid=slice-1]")).ToHaveTextAsync("Slice 7 / 8");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task MammographyReader_SeesOneImageAtATime_WithNoSlicesToScroll_AndTheWheelZooms()
    {
        var page = await ReadAsync(DemoUsers.Reader2, DemoOtherKinds.MammographyStudyName, panes: 1);
        Assert.Equal(0, await page.Locator("[data-testid=viewport-1]").CountAsync());
        await Assertions.Expect(page.Locator("[data-testid=slice-0]")).ToHaveTextAsync("");
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("Is this image real or synthetic?");
        var handle = await page.Locator("[data-testid=image-viewer]").GetAttributeAsync("data-viewer");
        var zoom = await page.EvaluateAsync<double>($"() => window.readerStudy.viewer.state('{handle}')[0].zoom");

        var box = (await page.Locator("[data-testid=viewport-0]").BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(box.X + box.Width / 2, box.Y + box.Height / 2);
        await page.Mouse.WheelAsync(0, -240);

        await page.WaitForFunctionAsync($"() => window.readerStudy.viewer.state('{handle}')[0].zoom !== {zoom.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        Assert.Equal(0, (await page.EvaluateAsync<int>($"() => window.readerStudy.viewer.state('{handle}')[0].slice")));
        await Assertions.Expect(page.Locator("[data-testid=cursor-0]")).ToContainTextAsync("signal");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Coordinator_SeesEveryCaseWithItsRealAndSyntheticSeries_AndOpensOne()
    {
        var page = await browser.SignedInPageAsync(DemoUsers.Coordinator);
        await page.ClickAsync($"text={DemoOtherKinds.PelvisStudyName}");
        var rows = page.Locator("[data-testid=case-preview-row]");
        await Assertions.Expect(rows).ToHaveCountAsync(3);
        await Assertions.Expect(rows.First).ToContainTextAsync("AX CT");
        await Assertions.Expect(rows.First).ToContainTextAsync("Synthetic CT (pelvis synthetic CT (phantom demo) 1)");

        await rows.First.Locator("a", new() { HasText = "Synthetic CT" }).ClickAsync();
        await page.Locator("[data-testid=viewport-0] canvas").First.WaitForAsync();
        await Assertions.Expect(page.Locator("[data-testid=window-presets]")).ToContainTextAsync("Bone");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Coordinator_ExcludesASubjectWithAReason_AndIncludesItAgain_TheCasesFollow()
    {
        using var api = await browser.NewApiClient().SignedInAsAsync(DemoUsers.Coordinator);
        var folder = Directory.CreateTempSubdirectory("readerstudy-case-choices-").FullName;
        var (study, _) = await CtStudySetup.CreateClosedAsync(api, browser.Portal.NewDbContext, folder, until: StudyState.Draft);
        var page = await browser.SignedInPageAsync(DemoUsers.Coordinator);
        await page.GotoAsync($"/studies/{study}");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        var cases = page.Locator("[data-testid=case-preview-row]");
        await Assertions.Expect(cases).ToHaveCountAsync(3);

        var second = page.Locator("[data-testid=case-choice-row][data-subject=S-0002]");
        await second.Locator("[data-testid=exclude-reason]").FillAsync("metal implant");
        await second.Locator("[data-testid=exclude-subject]").ClickAsync();

        await Assertions.Expect(cases).ToHaveCountAsync(2);
        await Assertions.Expect(second.Locator("[data-testid=excluded-reason]")).ToHaveTextAsync("Excluded: metal implant");
        await Assertions.Expect(page.Locator("[data-testid=cases-skipped]")).ToContainTextAsync("S-0002: excluded by the coordinator (metal implant).");
        Assert.DoesNotContain("S-0002", string.Join("|", await cases.AllInnerTextsAsync()));

        await second.Locator("[data-testid=include-subject]").ClickAsync();
        await Assertions.Expect(cases).ToHaveCountAsync(3);
        await page.Context.CloseAsync();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Coordinator_CreatesACtStudy_ChoosingWhatItCompares()
    {
        var page = await browser.SignedInPageAsync(DemoUsers.Coordinator);
        await page.GotoAsync("/studies");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        var name = $"Synthetic CT {Guid.NewGuid():N}"[..24];
        await page.Locator("[data-testid=new-study-name]").FillAsync(name);
        await page.ClickAsync("[data-testid=new-study-kind]");
        await page.ClickAsync(".mud-popover-open >> text=CT (Hounsfield units)");
        await Assertions.Expect(page.Locator("[data-testid=new-study-kind]")).ToHaveValueAsync("CT (Hounsfield units)");
        await page.ClickAsync("[data-testid=create-study]");
        await Assertions.Expect(page.Locator("[data-testid=study-name]")).ToHaveTextAsync(name);
        await Assertions.Expect(page.Locator("[data-testid=study-kind]")).ToHaveTextAsync("CT (Hounsfield units)");

        // Opening asks first and says what it does; cancelling changes nothing, and a study without cases does not open.
        await page.ClickAsync("[data-testid=advance-state]");
        await Assertions.Expect(page.Locator("[data-testid=confirm-state-text]")).ToContainTextAsync("draws every reader's trials (0 reader(s) x 0 case(s))");
        await page.ClickAsync("[data-testid=cancel-state]");
        await Assertions.Expect(page.Locator("[data-testid=confirm-state-text]")).ToHaveCountAsync(0);
        await page.ClickAsync("[data-testid=advance-state]");
        await page.ClickAsync("[data-testid=confirm-state]");
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("A study opens with at least one case");

        await using var db = browser.Portal.NewDbContext();
        var study = await db.Studies.SingleAsync(s => s.Name == name);
        Assert.Equal((StudyKind.Ct, "HU", -1024.0, StudyState.Draft), (study.Kind, study.QuantityLabel, study.DisplayMin, study.State));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Statistician_SeesHounsfieldUnitAgreementPerSegment_AndPlotsInHu()
    {
        var folder = Directory.CreateTempSubdirectory("readerstudy-ct-results-").FullName;
        try
        {
            using var coordinator = await browser.NewApiClient().SignedInAsAsync(DemoUsers.Coordinator);
            var (study, _) = await CtStudySetup.CreateClosedAsync(coordinator, browser.Portal.NewDbContext, folder);

            var page = await browser.SignedInPageAsync(DemoUsers.Statistician);
            await page.GotoAsync($"/results/{study}");
            var tables = page.Locator("[data-testid=results-tables]");
            await Assertions.Expect(tables).ToContainTextAsync("Synthetic vs real HU, regional means across cases", new() { Timeout = 30_000 });
            await Assertions.Expect(tables).ToContainTextAsync("Bias, HU (95 % limits of agreement)");
            await Assertions.Expect(page.Locator("[data-testid=t2-row]")).ToHaveCountAsync(5);
            await Assertions.Expect(page.Locator("[data-testid=t2-row]").First).ToContainTextAsync("Bone");
            await Assertions.Expect(page.Locator("body")).ToContainTextAsync("real HU");
            await Assertions.Expect(page.Locator("body")).ToContainTextAsync("Mean HU per segment");
            await page.Context.CloseAsync();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
