using Microsoft.Playwright;
using ReaderStudy.Core.Phantom;
using ReaderStudy.Imaging.Phantom;

namespace ReaderStudy.E2ETests;

/// <summary>The portal pointed at its own Orthanc PACS, in the browser.</summary>
public sealed class PacsBrowserPortal : BrowserPortal
{
    protected override PortalFactory CreatePortal() => new PacsPortal();
}

public sealed class PacsImportPageTests(PacsBrowserPortal browser) : IClassFixture<PacsBrowserPortal>, IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("readerstudy-e2e-pacs-").FullName;

    [Fact]
    public async Task Coordinator_FindsAPatientInThePacs_AndImportsTheChosenSeries()
    {
        var manifest = PhantomGenerator.Generate(folder, 1, new KneePhantomOptions { Size = 40, Slices = 3, Seed = 41 });
        var patient = manifest.Subjects[0].Pseudonym;
        await ((PacsPortal)browser.Portal).Pacs.StoreAsync(Directory.GetFiles(Path.Combine(folder, patient), "*.dcm", SearchOption.AllDirectories));
        var page = await browser.SignedInPageAsync(DemoUsers.Coordinator);
        await page.GotoAsync("/studies");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.Locator("[data-testid=new-study-name]").FillAsync($"From the PACS {Guid.NewGuid().ToString()[..8]}");
        await page.ClickAsync("[data-testid=create-study]");
        await page.ClickAsync("[data-testid=go-import]");

        await Assertions.Expect(page.Locator("[data-testid=pacs]")).ToContainTextAsync("From Test PACS");
        await page.Locator("[data-testid=pacs-patient]").FillAsync(patient);
        await page.ClickAsync("[data-testid=pacs-search]");
        var rows = page.Locator("[data-testid=pacs-series]");
        await Assertions.Expect(rows).ToHaveCountAsync(6, new() { Timeout = 20_000 });
        await rows.Filter(new() { HasText = "SAG MESE" }).Locator("input[type=checkbox]").CheckAsync();
        await page.ClickAsync("[data-testid=pacs-import]");

        await Assertions.Expect(page.Locator("[data-testid=import-report]")).ToContainTextAsync("Imported 1 of 1 series", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("[data-testid=import-row]")).ToContainTextAsync("7 echo times");
        await page.Context.CloseAsync();
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
