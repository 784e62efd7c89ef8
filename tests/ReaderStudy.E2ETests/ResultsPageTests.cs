using System.Text.RegularExpressions;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using ReaderStudy.Web.Features.Studies;

namespace ReaderStudy.E2ETests;

public sealed class ResultsPageTests(BrowserPortal browser) : IClassFixture<BrowserPortal>
{
    [Fact]
    public async Task Statistician_SeesResultsOfTheClosedDemoStudy_AndDownloadsTheCsvAndTheReport()
    {
        await using var db = browser.Portal.NewDbContext();
        var studyId = await db.Studies.Where(s => s.Name == "Knee T2 phantom demo").Select(s => s.Id).SingleAsync();
        using (var reader1 = await browser.NewApiClient().SignedInAsAsync(DemoUsers.Reader1))
        using (var reader2 = await browser.NewApiClient().SignedInAsAsync(DemoUsers.Reader2))
        using (var coordinator = await browser.NewApiClient().SignedInAsAsync(DemoUsers.Coordinator))
        {
            await DemoReading.ReadAllAsync(browser.Portal, reader1, studyId, correct: true, grade: 5);
            await DemoReading.ReadAllAsync(browser.Portal, reader2, studyId, correct: true, grade: 3);
            (await coordinator.Http.PostAsJsonAsync($"/api/studies/{studyId}/state", new StudyStateChange(Core.Studies.StudyState.Closed))).EnsureSuccessStatusCode();
        }
        var page = await browser.SignedInPageAsync(DemoUsers.Statistician);
        var errors = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") lock (errors) errors.Add(m.Text); };

        await page.GotoAsync($"/results/{studyId}");
        // The first paint is prerendered; the download buttons work once the page is live.
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await Assertions.Expect(page.Locator("[data-testid=accuracy-row]").Last).ToContainTextAsync("6 / 6");
        await Assertions.Expect(page.Locator("[data-testid=results-plots] svg")).Not.ToHaveCountAsync(0);

        // Every plot turns interactive: ticks on its axes, and hovering a subject's point names the subject and case.
        var statics = await page.Locator(".rs-plot-static").CountAsync();
        await Assertions.Expect(page.Locator("[data-testid=plot][data-interactive=true]")).ToHaveCountAsync(statics, new() { Timeout = 20_000 });
        Assert.True(await page.Locator("#results-plot-0 .xtick").CountAsync() >= 3);
        Assert.True(await page.Locator("#results-plot-0 .ytick").CountAsync() >= 3);
        var subjects = await db.Subjects.Where(s => s.StudyId == studyId).Select(s => s.Pseudonym).ToListAsync();
        await page.Locator("#results-plot-0 .scatterlayer .point").First.HoverAsync(new() { Force = true });
        var hover = page.Locator("#results-plot-0 .hoverlayer");
        await Assertions.Expect(hover).ToContainTextAsync(new Regex(@"\(case \d+\)"));
        Assert.Contains(subjects, s => (hover.TextContentAsync().Result ?? "").Contains(s, StringComparison.Ordinal));
        await Assertions.Expect(page.Locator(".rs-plot-static").First).ToBeHiddenAsync();

        var csvDownload = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("[data-testid='download-answers.csv']"));
        var csv = await File.ReadAllLinesAsync((await csvDownload.PathAsync())!);
        Assert.Equal("answers.csv", csvDownload.SuggestedFilename);
        Assert.StartsWith("Reader,Case,Subject", csv[0]);
        Assert.Equal(2 * 3 * 12, csv.Length - 1);
        Assert.All(csv.Skip(1).Where(l => l.Contains("WhichIsReal", StringComparison.Ordinal)), l => Assert.Contains(",1,", l));

        var pngDownload = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-testid=download-png]").First.ClickAsync());
        var png = await File.ReadAllBytesAsync((await pngDownload.PathAsync())!);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png.Take(4));

        await page.Locator("[data-testid=margin]").FillAsync("20");
        await page.ClickAsync("[data-testid=recompute]");
        await Assertions.Expect(page.Locator("[data-testid=results-tables]")).ToContainTextAsync("±20 points");

        var reportDownload = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("[data-testid='download-report.html']"));
        var report = await File.ReadAllTextAsync((await reportDownload.PathAsync())!);
        Assert.Contains("Telling real from synthetic", report);
        Assert.Contains("<svg", report);
        Assert.Contains("100.0%", report);
        Assert.Contains("Mean T2 per cartilage region", report);
        Assert.Contains("ICC(A,1) (95 % CI)", report);
        Assert.Contains("Spearman ρ", report);
        Assert.Contains("Mean grade, real vs synthetic", report);
        // One ROC curve per reader and their vertical average, not one curve pooled over readers.
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(report, "data-curve='reader'"));
        Assert.Equal(1, System.Text.RegularExpressions.Regex.Count(report, "data-curve='reader-averaged'"));
        Assert.Contains("ROC per reader and reader-averaged (AUC 1.00)", report);
        Assert.DoesNotContain("ROC, all readers", report);
        lock (errors)
        {
            // Among them any refusal by the content security policy of what the plotting library does.
            Assert.Empty(errors);
        }
        await page.Context.CloseAsync();
    }
}
