using Microsoft.Playwright;

namespace ReaderStudy.E2ETests;

/// <summary>
/// Blazor's InputFile listens for a choice only once its script has run after the component rendered; a file set in
/// that first instant is lost. So a test sets the file again until the page shows it was taken. Under a loaded CI
/// machine a page's input has also been seen never to report a choice (cause not found; no server error logged):
/// after three tries the page is reloaded, which gives it a fresh circuit, and the files are chosen again.
/// </summary>
public static class FileInputs
{
    private const int Attempts = 6;

    public static Task ChooseAsync(this ILocator input, string file, ILocator shows, string text) =>
        RetryAsync(input.Page, async () => await input.SetInputFilesAsync(file),
            () => Assertions.Expect(shows).ToContainTextAsync(text, new() { Timeout = 5_000 }));

    /// <summary>Sets each input its file until <paramref name="enabledOnceTaken"/> (a button that needs them all) is enabled.</summary>
    public static Task ChooseAsync(this ILocator enabledOnceTaken, params (ILocator Input, string File)[] choices) =>
        RetryAsync(enabledOnceTaken.Page, async () =>
            {
                foreach (var (input, file) in choices)
                {
                    await input.SetInputFilesAsync(file);
                }
            },
            () => Assertions.Expect(enabledOnceTaken).ToBeEnabledAsync(new() { Timeout = 5_000 }));

    private static async Task RetryAsync(IPage page, Func<Task> choose, Func<Task> taken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await choose();
            try
            {
                await taken();
                return;
            }
            catch (PlaywrightException) when (attempt < Attempts)
            {
                if (attempt == 3)
                {
                    await page.ReloadAsync();
                    await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
                }
            }
            catch (PlaywrightException e)
            {
                var path = Path.Combine(Path.GetTempPath(), $"readerstudy-choose-{Guid.NewGuid():N}.png");
                await page.ScreenshotAsync(new() { Path = path, FullPage = true });
                throw new InvalidOperationException($"The file was not taken at {page.Url} (screenshot {path}).", e);
            }
        }
    }
}
