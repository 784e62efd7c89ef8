using System.IO.Compression;
using Microsoft.Playwright;
using ReaderStudy.Core.Phantom;
using ReaderStudy.Imaging.Phantom;

namespace ReaderStudy.E2ETests;

public sealed class ImportPageTests(BrowserPortal browser) : IClassFixture<BrowserPortal>, IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("readerstudy-e2e-import-").FullName;

    /// <summary>One knee phantom subject written under <paramref name="name"/>, and the same subject zipped.</summary>
    private (string Subject, string Zip) PhantomSubject(string name, int seed)
    {
        var manifest = PhantomGenerator.Generate(Path.Combine(folder, name), 1, new KneePhantomOptions { Size = 48, Slices = 3, Seed = seed });
        var subject = Path.Combine(folder, name, manifest.Subjects[0].Pseudonym);
        var zip = Path.Combine(folder, name + ".zip");
        ZipFile.CreateFromDirectory(subject, zip);
        return (subject, zip);
    }

    /// <summary>A coordinator creates a study on the studies page and imports into it through the chosen input; the page ends on the import report of 6 series.</summary>
    private async Task<(IPage Page, string Name)> ImportIntoANewStudyAsync(string namePrefix, string input, string path, string chosen)
    {
        var page = await browser.SignedInPageAsync(DemoUsers.Coordinator);
        await page.GotoAsync("/studies");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        var name = $"{namePrefix} {Guid.NewGuid().ToString()[..8]}";
        await page.Locator("[data-testid=new-study-name]").FillAsync(name);
        await page.ClickAsync("[data-testid=create-study]");
        await Assertions.Expect(page.Locator("[data-testid=study-name]")).ToHaveTextAsync(name);
        await page.ClickAsync("[data-testid=go-import]");
        await page.Locator($"[data-testid={input}]").ChooseAsync(path, page.Locator("[data-testid=chosen]"), chosen);
        await page.ClickAsync("[data-testid=start-import]");
        await Assertions.Expect(page.Locator("[data-testid=import-report]")).ToContainTextAsync("Imported 6 of 6 series", new() { Timeout = 30_000 });
        return (page, name);
    }

    [Fact]
    public async Task Coordinator_ImportsAZippedPhantomSubject_AndSeesItsSeriesClassified()
    {
        var (_, zip) = PhantomSubject("phantom", 5);

        var (page, _) = await ImportIntoANewStudyAsync("Import pilot", "import-files", zip, "1 file(s)");

        await Assertions.Expect(page.Locator("[data-testid=import-progress]")).ToBeVisibleAsync();
        await page.ClickAsync("text=Back to the study");
        var rows = page.Locator("[data-testid=series-row]");
        await Assertions.Expect(rows).ToHaveCountAsync(6);
        await Assertions.Expect(rows.Filter(new() { HasText = "SAG MESE" })).ToContainTextAsync("10,20,30,40,50,60,70");
        await Assertions.Expect(rows.Filter(new() { HasText = "SAG MESE" })).ToContainTextAsync("7 echo times");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Coordinator_ImportsAWholeFolder_WithSubfoldersAndAStrayFile()
    {
        var (subject, _) = PhantomSubject("export", 7);
        // Notes that travel with DICOM folders are passed over; any other file that is not DICOM is named in the report.
        File.WriteAllText(Path.Combine(subject, "README.txt"), "exported from the scanner console");
        File.WriteAllText(Path.Combine(subject, "mese", "console.log"), "not an image");
        var files = Directory.GetFiles(subject, "*", SearchOption.AllDirectories).Length;

        var (page, _) = await ImportIntoANewStudyAsync("Folder", "import-folder", subject, $"{files} file(s)");

        await Assertions.Expect(page.Locator("[data-testid=import-report]")).ToContainTextAsync("console.log");
        await Assertions.Expect(page.Locator("[data-testid=import-report]")).Not.ToContainTextAsync("README.txt");
        await page.ClickAsync("text=Back to the study");
        await Assertions.Expect(page.Locator("[data-testid=series-row]")).ToHaveCountAsync(6);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Coordinator_CorrectsADraft_DeletesASeriesAndAQuestion_RenamesItThenDeletesIt()
    {
        var (_, zip) = PhantomSubject("mistake", 6);
        var (page, name) = await ImportIntoANewStudyAsync("Mistake", "import-files", zip, "1 file(s)");
        await page.ClickAsync("text=Back to the study");

        // A series imported by mistake: the first click asks, the second deletes.
        var rows = page.Locator("[data-testid=series-row]");
        await Assertions.Expect(rows).ToHaveCountAsync(6);
        await rows.Filter(new() { HasText = "SAG MESE" }).Locator("[data-testid=delete-series]").ClickAsync();
        await page.ClickAsync("[data-testid=confirm-delete-series]");
        await Assertions.Expect(rows).ToHaveCountAsync(5);
        await Assertions.Expect(rows.Filter(new() { HasText = "SAG MESE" })).ToHaveCountAsync(0);

        await page.ClickAsync("[data-testid=default-questions]");
        var questions = page.Locator("[data-testid=question-item]");
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("The default form is set.");
        await Assertions.Expect(questions.First).ToBeVisibleAsync();
        var before = await questions.CountAsync();
        Assert.True(before > 1, $"the default form has {before} question(s)");
        await questions.First.Locator("[data-testid=delete-question]").ClickAsync();
        await Assertions.Expect(questions).ToHaveCountAsync(before - 1);

        await page.ClickAsync("[data-testid=edit-study]");
        await page.Locator("[data-testid=edit-study-name]").FillAsync(name + " (corrected)");
        await page.ClickAsync("[data-testid=save-study]");
        await Assertions.Expect(page.Locator("[data-testid=study-name]")).ToHaveTextAsync(name + " (corrected)");

        await page.ClickAsync("[data-testid=delete-study]");
        await Assertions.Expect(page.Locator("[data-testid=confirm-delete-text]")).ToContainTextAsync("cannot be brought back");
        await page.ClickAsync("[data-testid=confirm-delete]");
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync($"Deleted draft study '{name} (corrected)' with 1 subject(s), 5 series and 0 case(s)");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/studies$"));
        await Assertions.Expect(page.Locator("[data-testid=study-row]", new() { HasText = name })).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Coordinator_AttachesANiftiMapToASubject_AndSeesItAmongTheSeries()
    {
        var (subject, zip) = PhantomSubject("phantom", 6);
        OtherToolkits.Dcm2niix(Path.Combine(subject, "t2-truth"), Path.Combine(folder, "nifti"), "gan_output");
        var (page, _) = await ImportIntoANewStudyAsync("NIfTI maps", "import-files", zip, "1 file(s)");

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
