using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using ReaderStudy.Core.Reading;
using ReaderStudy.Core.Reading.Presentation;
using ReaderStudy.Web.Features.Reading;
using ReaderStudy.Web.Features.Studies;

namespace ReaderStudy.E2ETests;

/// <summary>The coordinator's blinding check in Chromium: what readers receive, per case, and the written override.</summary>
public sealed class BlindingCheckTests(BrowserPortal browser) : IClassFixture<BrowserPortal>
{
    private async Task<IPage> StudyPageAsync(Guid studyId)
    {
        var page = await browser.SignedInPageAsync(DemoUsers.Coordinator);
        await page.GotoAsync($"/studies/{studyId}");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        return page;
    }

    [Fact]
    public async Task Coordinator_RunsTheCheckOnTheDemoStudy_AndSeesWhatReadersReceivePerCase()
    {
        await using var db = browser.Portal.NewDbContext();
        var page = await StudyPageAsync(await db.Studies.Where(s => s.Name == "Knee T2 phantom demo").Select(s => s.Id).SingleAsync());

        await page.ClickAsync("[data-testid=blinding-check]");

        await Assertions.Expect(page.Locator("[data-testid=blinding-result]")).ToContainTextAsync("Blinding check passed", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("[data-testid=blinding-presentation]")).ToContainTextAsync("values clipped to 0-100 ms, rounded to 0.1 ms");
        await Assertions.Expect(page.Locator("[data-testid=blinding-cases] tbody tr")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("[data-testid=blinding-cases] tbody tr").First).ToContainTextAsync("step 0.1 ms");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Coordinator_OpensALeakingStudy_OnlyWithAWrittenReason()
    {
        using var api = await browser.NewApiClient().SignedInAsAsync(DemoUsers.Coordinator);
        var created = await api.Http.PostAsJsonAsync("/api/studies", new NewStudy($"Leaking {Guid.NewGuid():N}", ""));
        var studyId = (await created.Content.ReadFromJsonAsync<StudySummary>(PortalJson.Options))!.Id;
        await ReadableStudy.PrepareAsync(browser.Portal, studyId);
        var (real, synthetic) = MapCases.FittedAndGenerated(2);
        await MapCases.AddAsync(browser.Portal, studyId, 2, real, synthetic, size: 16, slices: 2);
        await api.Http.PutAsJsonAsync($"/api/studies/{studyId}/reading/settings",
            new ReadingSettingsChange(ReadingMode.PairedWhichIsReal, false, 0, 1000, 0, PresentationStep: 0, PresentationMask: PresentationMask.None), PortalJson.Options);
        var page = await StudyPageAsync(studyId);

        await page.ClickAsync("[data-testid=blinding-check]");
        await Assertions.Expect(page.Locator("[data-testid=blinding-result]")).ToContainTextAsync("leak(s)", new() { Timeout = 30_000 });
        await page.Locator("[data-testid=override-reason]").FillAsync("Training session for new readers; not analysed.");
        await page.ClickAsync("[data-testid=override-open]");

        await Assertions.Expect(page.Locator("text=Close study")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await using var db = browser.Portal.NewDbContext();
        Assert.Equal("Training session for new readers; not analysed.", (await db.Studies.SingleAsync(s => s.Id == studyId)).BlindingOverrideReason);
        await page.Context.CloseAsync();
    }
}
