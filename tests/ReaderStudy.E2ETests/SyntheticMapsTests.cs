using System.IO.Compression;
using Microsoft.Playwright;
using ReaderStudy.Core.Phantom;
using ReaderStudy.Imaging.Phantom;

namespace ReaderStudy.E2ETests;

public sealed class SyntheticMapsTests(BrowserPortal browser) : IClassFixture<BrowserPortal>, IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("readerstudy-e2e-synthesis-").FullName;

    [Fact]
    public async Task Coordinator_RegistersAGenerator_GeneratesASubjectsMap_AndSeesItBesideTheRealOne()
    {
        var version = Guid.NewGuid().ToString("N")[..8];
        var page = await StudyWithOneSubjectAsync($"Synthesis pilot {version}", seed: 6);

        var panel = page.Locator("[data-testid=synthetic-maps]");
        await Assertions.Expect(panel.Locator("[data-testid=inference-device]")).ToContainTextAsync("run on the");
        await RegisterAffineGeneratorAsync(panel, version);
        await Assertions.Expect(panel.Locator("[data-testid=generator-row]", new() { HasText = version })).ToContainTextAsync("SAG DESS, SAG IW TSE");
        await panel.Locator("[data-testid=generate-synthetic]").ClickAsync();

        await Assertions.Expect(page.Locator("[data-testid=series-title]")).ToContainTextAsync($"Synthetic T2 map (affine test generator {version})", new() { Timeout = 30_000 });
        await page.Locator("[data-testid=viewport-0] canvas").First.WaitForAsync();
        await page.Locator("[data-testid=viewport-1] canvas").First.WaitForAsync();
        await Assertions.Expect(page.Locator("[data-testid=image-viewer]")).ToContainTextAsync("Synthetic: Synthetic T2 map");

        // A background batch over the study's one subject: its map exists already, so the batch is done without a second one.
        await page.ClickAsync("text=Back to the study");
        await page.Locator("[data-testid=start-batch]").ClickAsync();
        var batch = page.Locator("[data-testid=batch-row]");
        await Assertions.Expect(batch).ToHaveCountAsync(1);
        for (var i = 0; i < 40 && !(await batch.TextContentAsync())!.Contains("(finished)"); i++)
        {
            await page.Locator("[data-testid=refresh-batches]").ClickAsync();
            await Task.Delay(250);
        }
        await Assertions.Expect(batch).ToContainTextAsync("1 of 1 maps (finished)");
        await Assertions.Expect(page.Locator("[data-testid=series-row]", new() { HasText = "Synthetic T2 map" })).ToHaveCountAsync(1);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Coordinator_SeesWhichSubjectOfABatchFailedAndWhy_AndRetriesIt()
    {
        var version = Guid.NewGuid().ToString("N")[..8];
        var page = await StudyWithOneSubjectAsync($"Failing batch {version}", seed: 7);
        var panel = page.Locator("[data-testid=synthetic-maps]");
        // The second input is a fat-suppressed PD series, which the phantom does not have.
        await RegisterAffineGeneratorAsync(panel, version, secondInput: "SAG PD FS");

        await panel.Locator("[data-testid=start-batch]").ClickAsync();

        // No refresh clicked: a running batch's row updates by itself.
        await Assertions.Expect(panel.Locator("[data-testid=batch-progress]")).ToHaveTextAsync("0 of 1 maps, 1 failed", new() { Timeout = 20_000 });
        await Assertions.Expect(panel.Locator("[data-testid=batch-failure]")).ToContainTextAsync("S-0001: S-0001 has no anatomic series 'SAG PD FS'");
        await panel.Locator("[data-testid=retry-batch]").ClickAsync();
        await Assertions.Expect(panel.Locator("[data-testid=synthesis-message]")).ToContainTextAsync("queued again");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Coordinator_FitsRealT2MapsForTheStudyInTheBackground_AndWatchesItFinish()
    {
        var page = await StudyWithOneSubjectAsync($"Fit batch {Guid.NewGuid():N}", seed: 8);
        var panel = page.Locator("[data-testid=t2-fit-batches]");

        await panel.Locator("[data-testid=start-fit-batch]").ClickAsync();

        await Assertions.Expect(panel.Locator("[data-testid=fit-batch-message]")).ToContainTextAsync("Fitting 1 subject(s) in the background");
        // No refresh: the row follows the job by itself.
        await Assertions.Expect(panel.Locator("[data-testid=fit-batch-progress]")).ToHaveTextAsync("1 of 1 maps (finished)", new() { Timeout = 30_000 });
        await panel.Locator("[data-testid=start-fit-batch]").ClickAsync();
        await Assertions.Expect(panel.Locator("[data-testid=fit-batch-message]")).ToContainTextAsync("already has a real T2 map");
        await Assertions.Expect(panel.Locator("[data-testid=fit-batch-row]")).ToHaveCountAsync(1);
        await page.Context.CloseAsync();
    }

    /// <summary>A coordinator's new study holding one imported phantom subject, its page open.</summary>
    private async Task<IPage> StudyWithOneSubjectAsync(string name, int seed)
    {
        var manifest = PhantomGenerator.Generate(Path.Combine(folder, "phantom"), 1, new KneePhantomOptions { Size = 48, Slices = 3, Seed = seed });
        var zip = Path.Combine(folder, "subject.zip");
        ZipFile.CreateFromDirectory(Path.Combine(folder, "phantom", manifest.Subjects[0].Pseudonym), zip);
        var page = await browser.SignedInPageAsync(DemoUsers.Coordinator);
        await page.GotoAsync("/studies");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.Locator("[data-testid=new-study-name]").FillAsync(name);
        await page.ClickAsync("[data-testid=create-study]");
        await page.ClickAsync("[data-testid=go-import]");
        await page.Locator("[data-testid=import-files]").ChooseAsync(zip, page.Locator("[data-testid=chosen]"), "1 file(s)");
        await page.ClickAsync("[data-testid=start-import]");
        await Assertions.Expect(page.Locator("[data-testid=import-report]")).ToContainTextAsync("Imported 6 of 6 series", new() { Timeout = 30_000 });
        await page.ClickAsync("text=Back to the study");
        return page;
    }

    /// <summary>Uploads the affine test generator as a new version through the panel, its second input renamed if asked.</summary>
    private async Task RegisterAffineGeneratorAsync(ILocator panel, string version, string secondInput = "SAG IW TSE")
    {
        var manifestFile = Path.Combine(folder, "affine.manifest.json");
        File.WriteAllText(manifestFile, File.ReadAllText(TestModels.Path("affine.manifest.json"))
            .Replace("\"version\": \"1\"", $"\"version\": \"{version}\"", StringComparison.Ordinal)
            .Replace("SAG IW TSE", secondInput, StringComparison.Ordinal));
        await panel.Locator("[data-testid=register-generator]").ChooseAsync(
            (panel.Locator("[data-testid=generator-model]"), TestModels.Affine), (panel.Locator("[data-testid=generator-manifest]"), manifestFile));
        await panel.Locator("[data-testid=register-generator]").ClickAsync();
        await Assertions.Expect(panel.Locator("[data-testid=synthesis-message]")).ToContainTextAsync($"affine test generator {version} is registered");
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
