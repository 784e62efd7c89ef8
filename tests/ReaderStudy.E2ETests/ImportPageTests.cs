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

    [Fact]
    public async Task Coordinator_AttachesANiftiMapToASubject_AndSeesItAmongTheSeries()
    {
        var manifest = PhantomGenerator.Generate(Path.Combine(folder, "phantom"), 1, new KneePhantomOptions { Size = 48, Slices = 3, Seed = 6 });
        var subject = Path.Combine(folder, "phantom", manifest.Subjects[0].Pseudonym);
        var zip = Path.Combine(folder, "subject.zip");
        ZipFile.CreateFromDirectory(subject, zip);
        OtherToolkits.Dcm2niix(Path.Combine(subject, "t2-truth"), Path.Combine(folder, "nifti"), "gan_output");
        var page = await browser.SignedInPageAsync(DemoUsers.Coordinator);
        await page.GotoAsync("/studies");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.Locator("[data-testid=new-study-name]").FillAsync($"NIfTI maps {Guid.NewGuid().ToString()[..8]}");
        await page.ClickAsync("[data-testid=create-study]");
        await page.ClickAsync("[data-testid=go-import]");
        await page.Locator("[data-testid=import-files]").ChooseAsync(zip, page.Locator("[data-testid=chosen]"), "1 file(s)");
        await page.ClickAsync("[data-testid=start-import]");
        await Assertions.Expect(page.Locator("[data-testid=import-report]")).ToContainTextAsync("Imported 6 of 6 series", new() { Timeout = 30_000 });

        await page.Locator("[data-testid=nifti-file]").ChooseAsync(Path.Combine(folder, "nifti", "gan_output.nii.gz"), page.Locator("[data-testid=nifti-chosen]"), "gan_output.nii.gz");
        await page.Locator("[data-testid=nifti-subject]").ClickAsync();
        await page.GetByRole(AriaRole.Option).Filter(new() { HasText = "S-0001" }).ClickAsync();
        await page.Locator("[data-testid=nifti-origin]").ClickAsync();
        await page.GetByRole(AriaRole.Option).Filter(new() { HasText = "synthetic (generated)" }).ClickAsync();
        await page.ClickAsync("[data-testid=nifti-import]");

        await Assertions.Expect(page.Locator("[data-testid=nifti-result]")).ToContainTextAsync("gan_output.nii.gz imported for S-0001 on the grid of series 4", new() { Timeout = 20_000 });
        await page.GotoAsync(page.Url.Replace("/import", ""));
        var rows = page.Locator("[data-testid=series-row]");
        await Assertions.Expect(rows).ToHaveCountAsync(7);
        await Assertions.Expect(rows.Filter(new() { HasText = "imported from NIfTI gan_output.nii.gz" })).ToHaveCountAsync(1);
        await page.Context.CloseAsync();
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
