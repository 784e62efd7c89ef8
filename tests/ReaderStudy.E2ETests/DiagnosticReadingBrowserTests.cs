using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using ReaderStudy.Core.Reading;
using ReaderStudy.Web.Features.Reading;
using ReaderStudy.Web.Features.Studies;

namespace ReaderStudy.E2ETests;

/// <summary>A radiologist reads a diagnostic study in Chromium: one map at a time, the confidence rating, then the washout.</summary>
public sealed class DiagnosticReadingBrowserTests(BrowserPortal browser) : IClassFixture<BrowserPortal>
{
    [Fact]
    public async Task Reader_RatesEachMapAlone_ThenFindsTheSecondSessionClosedForTheWashout()
    {
        const int cases = 4;
        Guid study;
        using (var coordinator = await browser.NewApiClient().SignedInAsAsync(DemoUsers.Coordinator))
        {
            var created = await coordinator.Http.PostAsJsonAsync("/api/studies", new NewStudy($"Diagnostic browser {Guid.NewGuid():N}", ""));
            study = (await created.Content.ReadFromJsonAsync<StudySummary>(PortalJson.Options))!.Id;
            await ReadableStudy.PrepareAsync(browser.Portal, study);
            for (var number = 2; number <= cases; number++)
            {
                await ReadableStudy.AddCaseAsync(browser.Portal, study, number);
            }
            (await coordinator.Http.PutAsJsonAsync($"/api/studies/{study}/reading/settings",
                new ReadingSettingsChange(ReadingMode.Diagnostic, false, 0, 100, 0, DiagnosticFinding: "cartilage lesion", DiagnosticSpacing: 2, DiagnosticWashoutDays: 1), PortalJson.Options)).EnsureSuccessStatusCode();
            (await coordinator.Http.PostAsync($"/api/studies/{study}/reading/questions/default", null)).EnsureSuccessStatusCode();
            await using var db = browser.Portal.NewDbContext();
            var subjects = await db.Subjects.Where(s => s.StudyId == study).Select(s => s.Pseudonym).ToListAsync();
            var csv = "subject,truth\n" + string.Concat(subjects.Select((s, i) => $"{s},{i % 2}\n"));
            (await coordinator.Http.PutAsync($"/api/studies/{study}/reading/reference-standard", new StringContent(csv, Encoding.UTF8, "text/csv"))).EnsureSuccessStatusCode();
            (await coordinator.Http.PostAsJsonAsync($"/api/studies/{study}/state", new StudyStateChange(Core.Studies.StudyState.Open))).EnsureSuccessStatusCode();
        }

        var page = await browser.SignedInPageAsync(DemoUsers.Reader2);
        await page.GotoAsync($"/reading/{study}");
        for (var position = 1; position <= cases; position++)
        {
            await Assertions.Expect(page.Locator("[data-testid=case-position]")).ToHaveTextAsync($"Case {position} of {2 * cases}");
            await page.Locator("[data-testid=viewport-0] canvas").First.WaitForAsync();
            // One map at a time: no second pane, nothing that says which map it is.
            await Assertions.Expect(page.Locator("[data-testid=viewport-1]")).ToHaveCountAsync(0);
            await Assertions.Expect(page.Locator("[data-testid=question-form]")).ToContainTextAsync("cartilage lesion: how confident are you that it is present?");
            await Assertions.Expect(page.Locator("[data-testid=question-form]")).Not.ToContainTextAsync("real");
            await page.ClickAsync("[data-testid=answer-1] [data-testid=score-4]");
            await page.ClickAsync("[data-testid=answer-2] [data-testid=score-3]");
            await Assertions.Expect(page.Locator("[data-testid=answer-2]")).ToHaveAttributeAsync("data-outbox-state", "saved");
            await page.ClickAsync("[data-testid=submit-case]");
        }
        // The first session is done; the second opens a day later.
        await Assertions.Expect(page.Locator("[data-testid=washout]")).ToContainTextAsync("opens on");
        await Assertions.Expect(page.Locator("[data-testid=image-viewer]")).ToHaveCountAsync(0);

        await using var check = browser.Portal.NewDbContext();
        var submitted = await check.Trials.Where(t => t.StudyId == study && t.SubmittedAt != null).Select(t => t.Block).ToListAsync();
        Assert.Equal(Enumerable.Repeat(1, cases), submitted);
        Assert.Equal(2 * cases, await check.Answers.CountAsync(a => a.StudyId == study));
        await page.Context.CloseAsync();
    }
}
