using Microsoft.Playwright;

namespace ReaderStudy.E2ETests;

/// <summary>
/// Blazor's InputFile listens for a choice only once its script has run after the component rendered; a file set in
/// that first instant is lost. So a test sets the file again until the page shows it was taken.
/// </summary>
public static class FileInputs
{
    public static async Task ChooseAsync(this ILocator input, string file, ILocator shows, string text)
    {
        for (var attempt = 1; ; attempt++)
        {
            await input.SetInputFilesAsync(file);
            try
            {
                await Assertions.Expect(shows).ToContainTextAsync(text, new() { Timeout = 3_000 });
                return;
            }
            catch (PlaywrightException) when (attempt < 5)
            {
            }
            catch (PlaywrightException e)
            {
                var page = input.Page;
                var path = Path.Combine(Path.GetTempPath(), $"readerstudy-choose-{Guid.NewGuid():N}.png");
                await page.ScreenshotAsync(new() { Path = path, FullPage = true });
                throw new InvalidOperationException($"The file was not taken at {page.Url} (interactive marker: {await page.Locator("[data-testid=interactive]").CountAsync()}, screenshot {path}).", e);
            }
        }
    }

    /// <summary>Sets each input its file until <paramref name="enabledOnceTaken"/> (a button that needs them all) is enabled.</summary>
    public static async Task ChooseAsync(this ILocator enabledOnceTaken, params (ILocator Input, string File)[] choices)
    {
        for (var attempt = 1; ; attempt++)
        {
            foreach (var (input, file) in choices)
            {
                await input.SetInputFilesAsync(file);
            }
            try
            {
                await Assertions.Expect(enabledOnceTaken).ToBeEnabledAsync(new() { Timeout = 3_000 });
                return;
            }
            catch (PlaywrightException) when (attempt < 5)
            {
            }
        }
    }
}
