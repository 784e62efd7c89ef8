using System.IO.Compression;
using Microsoft.Playwright;
using ReaderStudy.Core.Phantom;
using ReaderStudy.Imaging.Phantom;

namespace ReaderStudy.E2ETests;

public sealed class ImportPageTests(BrowserPortal browser) : IClassFixture<BrowserPortal>, IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("readerstudy-e2e-import-").FullName;

    [Fact]
    public async Task Coordinator_ImportsAZippedPhantomSubject_AndSeesItsSeriesClassified()
    {
        var manifest = PhantomGenerator.Generate(Path.Combine(folder, "phantom"), 1, new KneePhantomOptions { Size = 48, Slices = 3, Seed = 5 });
        var zip = Path.Combine(folder, "subject.zip");
        ZipFile.CreateFromDirectory(Path.Combine(folder, "phantom", manifest.Subjects[0].Pseudonym), zip);
        var page = await browser.SignedInPageAsync(DemoUsers.Coordinator);
        await page.GotoAsync("/studies");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        var name = $"Import pilot {Guid.NewGuid().ToString()[..8]}";
        await page.Locator("[data-testid=new-study-name]").FillAsync(name);
        await page.ClickAsync("[data-testid=create-study]");
        await Assertions.Expect(page.Locator("[data-testid=study-name]")).ToHaveTextAsync(name);

        await page.ClickAsync("[data-testid=go-import]");
        await page.Locator("[data-testid=import-files]").ChooseAsync(zip, page.Locator("[data-testid=chosen]"), "1 file(s)");
        await page.ClickAsync("[data-testid=start-import]");

        await Assertions.Expect(page.Locator("[data-testid=import-report]")).ToContainTextAsync("Imported 6 of 6 series", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("[data-testid=import-progress]")).ToBeVisibleAsync();
        await page.ClickAsync("text=Back to the study");
        var rows = page.Locator("[data-testid=series-row]");
        await Assertions.Expect(rows).ToHaveCountAsync(6);
        await Assertions.Expect(rows.Filter(new() { HasText = "SAG MESE" })).ToContainTextAsync("10,20,30,40,50,60,70");
        await Assertions.Expect(rows.Filter(new() { HasText = "SAG MESE" })).ToContainTextAsync("7 echo times");
        await page.Context.CloseAsync();
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
