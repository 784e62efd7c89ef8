using Microsoft.EntityFrameworkCore;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace ReaderStudy.E2ETests;

/// <summary>The Cornerstone3D viewer in Chromium, on the demo study's phantom series.</summary>
public sealed partial class ViewerTests(BrowserPortal browser) : IClassFixture<BrowserPortal>
{
    private async Task<IPage> OpenDemoSeriesAsync(string description)
    {
        var page = await browser.SignedInPageAsync(DemoUsers.Coordinator);
        await page.ClickAsync("text=Knee T2 phantom demo");
        await page.Locator("[data-testid=series-link]", new() { HasText = description }).First.ClickAsync();
        await page.Locator("[data-testid=viewport-0] canvas").First.WaitForAsync();
        await Assertions.Expect(page.Locator("[data-testid=slice-0]")).ToHaveTextAsync(SliceLabel());
        return page;
    }

    [Fact]
    public async Task Reader_GoingBackAndForthThroughCases_LosesNoWebGlContext_AndNoPageLogsAnError()
    {
        var page = await browser.SignedInPageAsync(DemoUsers.Reader2);
        var console = new List<string>();
        page.Console += (_, m) =>
        {
            lock (console)
            {
                console.Add($"{m.Type}: {m.Text}");
            }
        };
        await page.GotoAsync("/reading");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.ClickAsync("[data-testid=start-reading]");
        await page.Locator("[data-testid=viewport-1] canvas").First.WaitForAsync();

        // Twelve viewer openings: before, each made a rendering engine of 7 WebGL contexts, and by the third the browser
        // (16 at most) was dropping the oldest, 317 "context lost" warnings in this walk.
        for (var step = 0; step < 12; step++)
        {
            await page.ClickAsync(step % 2 == 0 ? "[data-testid=next]" : "[data-testid=previous]");
            await Assertions.Expect(page.Locator("[data-testid=case-position]")).ToContainTextAsync(step % 2 == 0 ? "Case 2 of" : "Case 1 of");
            await page.Locator("[data-testid=viewport-1] canvas").First.WaitForAsync();
        }
        await Assertions.Expect(page.Locator("[data-testid=slice-1]")).ToHaveTextAsync(SliceLabel());

        // Faster than a viewer loads, the first of the burst the slowest (its images held 2 s): each opening supersedes
        // the last, and the viewer the page keeps is the one on screen, not the slow one that finished after it.
        var held = 0;
        await page.RouteAsync("**/api/reading/images/*/volume", async route =>
        {
            await Task.Delay(Interlocked.Increment(ref held) <= 2 ? 2000 : 100);
            await route.ContinueAsync();
        });
        await page.Locator("[data-testid=next]").DispatchEventAsync("click");
        // Previous is enabled as soon as the click on Next is taken, before case 2 arrives; a click on a button still
        // drawn disabled would be dropped by the browser (then next, next: case 3).
        await Assertions.Expect(page.Locator("[data-testid=previous]")).ToBeEnabledAsync();
        await page.Locator("[data-testid=previous]").DispatchEventAsync("click");
        await page.Locator("[data-testid=next]").DispatchEventAsync("click");
        await Assertions.Expect(page.Locator("[data-testid=case-position]")).ToContainTextAsync("Case 2 of");
        await page.Locator("[data-testid=viewport-1] canvas").First.WaitForAsync();
        await Task.Delay(2500);   // the held opening has finished by now
        await page.UnrouteAllAsync();
        await Assertions.Expect(page.Locator("[data-testid=image-viewer] .rs-viewer")).ToHaveCountAsync(1);
        const string kept = "window.readerStudy.viewer.state(document.querySelector('[data-testid=image-viewer]').dataset.viewer)";
        Assert.Equal(2, await page.EvaluateAsync<int>($"() => {kept}.length"));
        var before = await page.EvaluateAsync<int>($"() => {kept}[0].slice");
        await page.Locator("[data-testid=viewport-0]").FocusAsync();
        await page.Keyboard.PressAsync(before > 0 ? "ArrowUp" : "ArrowDown");
        await page.WaitForFunctionAsync($"() => {kept}[0].slice !== {before}", null, new() { Timeout = 5000 });
        await page.GotoAsync("/");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });

        lock (console)
        {
            Assert.DoesNotContain(console, m => m.Contains("WebGL", StringComparison.OrdinalIgnoreCase));
            // Among them the content security policy's refusal of an inline script, which every page logged.
            Assert.DoesNotContain(console, m => m.StartsWith("error:", StringComparison.Ordinal));
        }
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Reader_SeesTheSegmentationOutlinedAlikeOverBothImages_FollowingTheSlice_AndMayHideIt()
    {
        // Set as a coordinator does before opening (the demo study is open already), and set back after.
        await WithDemoStudyAsync(study => study.OutlineSegmentation = true, study => study.OutlineSegmentation = false, async studyId =>
        {
            var page = await browser.SignedInPageAsync(DemoUsers.Reader2);
            await page.GotoAsync($"/reading/{studyId}?case=1");
            await page.Locator("[data-testid=viewport-1] canvas").First.WaitForAsync();
            var (left, right) = (page.Locator("[data-testid=outline-0]"), page.Locator("[data-testid=outline-1]"));
            // The middle slice crosses the phantom's cartilage: drawn, and alike on both images.
            await Assertions.Expect(left).ToHaveAttributeAsync("data-edges", new Regex(@"^[1-9]\d*$"));
            var edges = await left.GetAttributeAsync("data-edges");
            await Assertions.Expect(right).ToHaveAttributeAsync("data-edges", edges!);
            Assert.True(await DrawnPixelsAsync(page, 0) > 50);
            Assert.Equal(await DrawnPixelsAsync(page, 0), await DrawnPixelsAsync(page, 1));

            // A slice further on: the outline is that slice's.
            var slice = int.Parse((await left.GetAttributeAsync("data-slice"))!);
            await page.Locator("[data-testid=viewport-0]").FocusAsync();
            await page.Keyboard.PressAsync(slice > 0 ? "ArrowUp" : "ArrowDown");
            await Assertions.Expect(left).ToHaveAttributeAsync("data-slice", $"{(slice > 0 ? slice - 1 : slice + 1)}");
            await Assertions.Expect(right).ToHaveAttributeAsync("data-slice", $"{(slice > 0 ? slice - 1 : slice + 1)}");

            await page.Locator("[data-testid=outline-toggle]").UncheckAsync();
            await Assertions.Expect(left).ToHaveAttributeAsync("data-edges", "0");
            await Assertions.Expect(right).ToHaveAttributeAsync("data-edges", "0");
            Assert.Equal(0, await DrawnPixelsAsync(page, 0));
            await page.Context.CloseAsync();
        });
    }

    [Fact]
    public async Task Reader_SeesTheAnatomicContextPaneBeside_ScrollingWithTheMaps_OnItsOwnWindow()
    {
        await OnCaseOneWithTheContextPaneAsync(async page =>
        {
            await Assertions.Expect(page.Locator("[data-testid=title-2]")).ToHaveTextAsync("Context: SAG DESS");
            var slice = page.Locator("[data-testid=slice-0]");
            await Assertions.Expect(slice).ToHaveTextAsync(SliceLabel());
            await Assertions.Expect(page.Locator("[data-testid=slice-2]")).ToHaveTextAsync((await slice.TextContentAsync())!);

            // The label before the key, read once: reading the context pane's label after the key raced the link itself
            // (on a loaded runner it had sometimes moved already, and then equalled the map's new label).
            var start = (await slice.TextContentAsync())!;
            await page.Locator("[data-testid=viewport-0] canvas").First.WaitForAsync();
            await page.Locator("[data-testid=viewport-0]").FocusAsync();
            await page.Keyboard.PressAsync("ArrowUp");
            await Assertions.Expect(slice).Not.ToHaveTextAsync(start);
            // Linked: the context pane moved to the map's new slice (one grid in the phantom, so the same number).
            await Assertions.Expect(page.Locator("[data-testid=slice-2]")).ToHaveTextAsync((await slice.TextContentAsync())!);

            // A window preset in ms is the maps' alone: the anatomic pane keeps its own.
            var handle = await page.Locator("[data-testid=image-viewer]").GetAttributeAsync("data-viewer");
            var before = await page.EvaluateAsync<double[]>($"() => {{ const s = window.readerStudy.viewer.state('{handle}')[2].voi; return [s.lower, s.upper]; }}");
            await page.ClickAsync("[data-testid=preset-full-0-200-ms]");
            var after = await page.EvaluateAsync<double[][]>($"() => window.readerStudy.viewer.state('{handle}').map(s => [s.voi.lower, s.voi.upper])");
            Assert.Equal([0.0, 200.0], after[0]);
            Assert.Equal(before, after[2]);
        });
    }

    [Fact]
    public async Task Reader_FusesBothMapsOverTheAnatomicImage_Alike_AtTheOpacityChosen()
    {
        await OnCaseOneWithTheContextPaneAsync(async page =>
        {
            var (left, right) = (page.Locator("[data-testid=fusion-0]"), page.Locator("[data-testid=fusion-1]"));
            // The map alone at first.
            await Assertions.Expect(left).ToHaveAttributeAsync("data-fused", "0");

            await SetOpacityAsync(page, 40);
            await Assertions.Expect(left).ToHaveAttributeAsync("data-fused", new Regex(@"^[1-9]\d*$"));
            await Assertions.Expect(right).ToHaveAttributeAsync("data-fused", new Regex(@"^[1-9]\d*$"));
            // The anatomic slice under the maps is the one the context pane shows.
            var handle = await page.Locator("[data-testid=image-viewer]").GetAttributeAsync("data-viewer");
            var contextSlice = await page.EvaluateAsync<int>($"() => window.readerStudy.viewer.state('{handle}')[2].slice");
            await Assertions.Expect(left).ToHaveAttributeAsync("data-anatomic-slice", $"{contextSlice}");
            // Both maps get the same anatomic image, drawn alike (nothing in it tells which map is which), at 1 − 0.4 opaque.
            var (l, r) = (await CanvasDigestAsync(page, "fusion-0"), await CanvasDigestAsync(page, "fusion-1"));
            Assert.Equal(l, r);
            Assert.InRange(l[3], 152, 154);

            await SetOpacityAsync(page, 100);
            await Assertions.Expect(left).ToHaveAttributeAsync("data-fused", "0");
            Assert.Equal(0, await DrawnPixelsAsync(page, "fusion-0"));
        });
    }

    /// <summary>A reader's page on case 1 of the demo study with the SAG DESS context pane drawn: the pane set as a
    /// coordinator sets it before opening (the demo study is open already), and set back after.</summary>
    private Task OnCaseOneWithTheContextPaneAsync(Func<IPage, Task> test) =>
        WithDemoStudyAsync(study => study.ContextSeries = "SAG DESS", study => study.ContextSeries = "", async studyId =>
        {
            var page = await browser.SignedInPageAsync(DemoUsers.Reader1);
            await page.GotoAsync($"/reading/{studyId}?case=1");
            await page.Locator("[data-testid=viewport-2] canvas").First.WaitForAsync();
            await test(page);
            await page.Context.CloseAsync();
        });

    // A range input cannot be filled; set it as a drag would, with the events a drag fires.
    private static Task SetOpacityAsync(IPage page, int percent) => page.Locator("[data-testid=fusion-opacity]").EvaluateAsync(
        "(e, v) => { e.value = String(v); e.dispatchEvent(new Event('input')); e.dispatchEvent(new Event('change')); }", percent);

    // A layer canvas's width, height, a hash of its pixels and its highest alpha.
    private static Task<long[]> CanvasDigestAsync(IPage page, string layer) => page.EvaluateAsync<long[]>($$"""
        () => { const c = document.querySelector('[data-testid={{layer}}]'); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                let [h, alpha] = [0, 0]; for (let i = 0; i < d.length; i++) { h = (h * 31 + d[i]) >>> 0; if (i % 4 === 3) alpha = Math.max(alpha, d[i]); }
                return [c.width, c.height, h, alpha]; }
        """);

    [Fact]
    public async Task Reader_KeyboardShortcuts_ChooseTheImage_AndMoveBetweenCases()
    {
        Guid studyId;
        await using (var db = browser.Portal.NewDbContext())
        {
            studyId = await db.Studies.Where(s => s.Name == "Knee T2 phantom demo").Select(s => s.Id).SingleAsync();
        }
        // This class's tests answer nothing else: case 1 is unanswered and open to answers.
        var page = await browser.SignedInPageAsync(DemoUsers.Reader1);
        await page.GotoAsync($"/reading/{studyId}?case=1");
        await page.Locator("[data-testid=viewport-1] canvas").First.WaitForAsync();
        await Assertions.Expect(page.Locator("[data-testid=case-position]")).ToContainTextAsync("Case 1 of");

        await page.Keyboard.PressAsync("2");
        await Assertions.Expect(page.Locator("[data-testid=answer-1] [data-testid=choose-right]")).ToHaveClassAsync(new Regex("mud-button-filled"));
        await Assertions.Expect(page.Locator("[data-testid=saved]")).ToContainTextAsync("Saved at");
        await page.Keyboard.PressAsync("n");
        await Assertions.Expect(page.Locator("[data-testid=case-position]")).ToContainTextAsync("Case 2 of");
        await page.Locator("[data-testid=viewport-1] canvas").First.WaitForAsync();
        await page.Keyboard.PressAsync("p");
        await Assertions.Expect(page.Locator("[data-testid=case-position]")).ToContainTextAsync("Case 1 of");
        await Assertions.Expect(page.Locator("[data-testid=answer-1] [data-testid=choose-right]")).ToHaveClassAsync(new Regex("mud-button-filled"));
        await page.Context.CloseAsync();
    }

    // The demo study with a reading setting changed for one test, and set back whatever the test does.
    private async Task WithDemoStudyAsync(Action<Core.Studies.Study> set, Action<Core.Studies.Study> reset, Func<Guid, Task> test)
    {
        Guid studyId;
        await using (var db = browser.Portal.NewDbContext())
        {
            var study = await db.Studies.SingleAsync(s => s.Name == "Knee T2 phantom demo");
            set(study);
            studyId = study.Id;
            await db.SaveChangesAsync();
        }
        try
        {
            await test(studyId);
        }
        finally
        {
            await using var db = browser.Portal.NewDbContext();
            reset(await db.Studies.SingleAsync(s => s.Id == studyId));
            await db.SaveChangesAsync();
        }
    }

    // Pixels the outline layer of a pane has drawn, counted in the canvas itself.
    private static Task<int> DrawnPixelsAsync(IPage page, int pane) => DrawnPixelsAsync(page, $"outline-{pane}");

    private static Task<int> DrawnPixelsAsync(IPage page, string layer) => page.EvaluateAsync<int>($$"""
        () => { const c = document.querySelector('[data-testid={{layer}}]'); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; }
        """);

    [Fact]
    public async Task ColourMap_ChosenInTheViewer_RecoloursTheMapAndItsScale()
    {
        var page = await OpenDemoSeriesAsync("T2 map (fitted from MESE)");
        // The coordinator sees the subject's segmentation outlined over its map, to check that they agree.
        await Assertions.Expect(page.Locator("[data-testid=outline-0]")).ToHaveAttributeAsync("data-edges", new Regex(@"^[1-9]\d*$"));
        var bar = page.Locator("[data-testid=scale-0] .rs-scale-bar");
        await Assertions.Expect(page.Locator("[data-testid=colormap]")).ToHaveValueAsync("viridis");
        // viridis starts at rgb(68, 1, 84); magma at rgb(0, 0, 4).
        Assert.Contains("rgb(68, 1, 84)", await bar.GetAttributeAsync("style"));

        await page.SelectOptionAsync("[data-testid=colormap]", "magma");

        await Assertions.Expect(bar).ToHaveAttributeAsync("style", new Regex(@"rgb\(0, 0, 4\)"));
        await Assertions.Expect(page.Locator("[data-testid=scale-0]")).ToContainTextAsync("100 ms");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Cine_StepsThroughEverySlice_AndStopsWherePressed()
    {
        var page = await OpenDemoSeriesAsync("T2 map (fitted from MESE)");
        var label = page.Locator("[data-testid=slice-0]");
        // Every label the pane shows from now on, as it changes (a MutationObserver, not sampling).
        await page.EvaluateAsync("""
            () => { const el = document.querySelector('[data-testid=slice-0]'); window.seenSlices = new Set([el.textContent]);
                    new MutationObserver(() => window.seenSlices.add(el.textContent)).observe(el, { childList: true, characterData: true, subtree: true }); }
            """);

        await page.ClickAsync("[data-testid=cine]");
        await Assertions.Expect(page.Locator("[data-testid=cine]")).ToHaveTextAsync("■ Stop");
        // Four slices at 8 a second, looping: every one of them shows.
        await page.WaitForFunctionAsync("() => window.seenSlices.size >= 4");
        await page.ClickAsync("[data-testid=cine]");
        var stopped = await label.TextContentAsync();
        // Stopped means nothing moves for longer than three cine steps.
        var changes = await page.EvaluateAsync<int>("""
            () => new Promise(resolve => { const el = document.querySelector('[data-testid=slice-0]'); let n = 0;
                  const o = new MutationObserver(() => n++); o.observe(el, { childList: true, characterData: true, subtree: true });
                  setTimeout(() => { o.disconnect(); resolve(n); }, 400); })
            """);

        Assert.Equal(["Slice 1 / 4", "Slice 2 / 4", "Slice 3 / 4", "Slice 4 / 4"], (await page.EvaluateAsync<string[]>("() => [...window.seenSlices]")).Order());
        Assert.Equal(0, changes);
        await Assertions.Expect(label).ToHaveTextAsync(stopped!);
        await Assertions.Expect(page.Locator("[data-testid=cine]")).ToHaveTextAsync("▶ Cine");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Coordinator_ScrollsWindowsAndReadsTheMeseEchoes()
    {
        var page = await OpenDemoSeriesAsync("MESE");
        var viewport = page.Locator("[data-testid=viewport-0]");
        var box = (await viewport.BoundingBoxAsync())!;
        var before = await page.Locator("[data-testid=slice-0]").TextContentAsync();

        await page.Mouse.MoveAsync(box.X + box.Width / 2, box.Y + box.Height / 2);
        await page.Mouse.WheelAsync(0, 120);
        await Assertions.Expect(page.Locator("[data-testid=slice-0]")).Not.ToHaveTextAsync(before!);

        var handle = await page.Locator("[data-testid=image-viewer]").GetAttributeAsync("data-viewer");
        var voiBefore = await page.EvaluateAsync<double>($"() => window.readerStudy.viewer.state('{handle}')[0].voi.upper");
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(box.X + box.Width / 2 + 80, box.Y + box.Height / 2 + 60, new() { Steps = 5 });
        await page.Mouse.UpAsync();
        var voiAfter = await page.EvaluateAsync<double>($"() => window.readerStudy.viewer.state('{handle}')[0].voi.upper");
        Assert.NotEqual(voiBefore, voiAfter);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Coordinator_ComputesAT2Map_AndReadsMillisecondsUnderTheCursor()
    {
        var page = await OpenDemoSeriesAsync("MESE");
        await page.ClickAsync("[data-testid=fit-t2]");
        await Assertions.Expect(page.Locator("[data-testid=fit-summary]")).ToContainTextAsync("mean T2 in femoral cartilage", new() { Timeout = 30_000 });
        var summary = await page.Locator("[data-testid=fit-summary]").TextContentAsync();
        var mean = double.Parse(MeanT2().Match(summary!).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(mean, 30, 55);
        // Unreliable voxels are said what they are (the phantom's noisy edges leave some).
        var unreliable = int.Parse(Regex.Match(summary!, @"([\d,]+) unreliable").Groups[1].Value.Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture);
        await Assertions.Expect(page.Locator("[data-testid=unreliable-explained]")).ToHaveCountAsync(unreliable > 0 ? 1 : 0);
        if (unreliable > 0)
        {
            await Assertions.Expect(page.Locator("[data-testid=unreliable-explained]")).ToContainTextAsync("R² under 0.8");
        }
        await Assertions.Expect(page.Locator("[data-testid=series-title]")).ToContainTextAsync("T2 map (fitted from MESE)");
        await page.Locator("[data-testid=scale-0]").WaitForAsync();
        await Assertions.Expect(page.Locator("[data-testid=scale-0]")).ToContainTextAsync("100 ms");

        var viewport = page.Locator("[data-testid=viewport-0]");
        var box = (await viewport.BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(box.X + box.Width / 2, box.Y + box.Height * 0.55f);
        var cursor = page.Locator("[data-testid=cursor-0]");
        await Assertions.Expect(cursor).ToContainTextAsync(" ms");

        // The value shown is the stored map's value at that pixel, in ms.
        var (column, row, slice) = (int.Parse((await cursor.GetAttributeAsync("data-column"))!), int.Parse((await cursor.GetAttributeAsync("data-row"))!),
            int.Parse((await cursor.GetAttributeAsync("data-slice"))!));
        var shown = double.Parse(ShownValue().Match((await cursor.TextContentAsync())!).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var seriesPath = new Uri(page.Url).AbsolutePath;
        var bytes = await page.EvaluateAsync<int[]>($"async () => Array.from(new Uint8Array(await (await fetch('/api{seriesPath}/slices/{slice}?echo=0')).arrayBuffer()))");
        var width = await page.EvaluateAsync<int>($"async () => (await (await fetch('/api{seriesPath}/volume')).json()).columns");
        var stored = BitConverter.ToSingle([.. bytes.Skip(4 * (row * width + column)).Take(4).Select(b => (byte)b)]);
        Assert.Equal(stored, shown, 0.06);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Coordinator_SeesTheFittedMapsUnreliableVoxels_FilledWhereTheServerMarksThem_AndMayHideThem()
    {
        var page = await OpenDemoSeriesAsync("T2 map (fitted from MESE)");
        var seriesPath = new Uri(page.Url).AbsolutePath;
        // The server's marks, slice by slice (2: unreliable); the slice with most of them is where to look.
        var counts = await page.EvaluateAsync<int[]>($$"""
            async () => { const d = await (await fetch('/api{{seriesPath}}/volume')).json(); const counts = [];
                          for (let s = 0; s < d.slices; s++) counts.push(new Uint8Array(await (await fetch(d.unreliableUrlTemplate.replace('{index}', s))).arrayBuffer()).filter(b => b === 2).length);
                          return counts; }
            """);
        var target = Array.IndexOf(counts, counts.Max());
        Assert.True(counts[target] > 0, "the phantom's fit leaves unreliable voxels at its noisy edges");
        // Opened later, the map still says what its fit left, counted when it was fitted: as many as the server marks.
        var said = page.Locator("[data-testid=fit-reliability]");
        await Assertions.Expect(said).ToContainTextAsync($"Fitted T2 map: {counts.Sum().ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} of ");
        await Assertions.Expect(said.Locator("[data-testid=unreliable-explained]")).ToContainTextAsync("R² under 0.8");
        var handle = await page.Locator("[data-testid=image-viewer]").GetAttributeAsync("data-viewer");
        var current = await page.EvaluateAsync<int>($"() => window.readerStudy.viewer.state('{handle}')[0].slice");
        await page.Locator("[data-testid=viewport-0]").FocusAsync();
        for (var step = 0; step < Math.Abs(target - current); step++)
        {
            await page.Keyboard.PressAsync(target < current ? "ArrowUp" : "ArrowDown");
        }

        var layer = page.Locator("[data-testid=unreliable-0]");
        await Assertions.Expect(layer).ToHaveAttributeAsync("data-slice", $"{target}");
        await Assertions.Expect(layer).ToHaveAttributeAsync("data-voxels", $"{counts[target]}");
        Assert.True(await DrawnPixelsAsync(page, "unreliable-0") > 0);
        await page.Locator("[data-testid=unreliable-toggle]").UncheckAsync();
        await Assertions.Expect(layer).ToHaveAttributeAsync("data-voxels", "0");
        Assert.Equal(0, await DrawnPixelsAsync(page, "unreliable-0"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ColourBar_FollowsAWindowLevelDrag_AndAResizeKeepsSquarePixels()
    {
        var page = await OpenDemoSeriesAsync("T2 map (fitted from MESE)");
        var labels = page.Locator("[data-testid=scale-0] .rs-scale-labels span");
        await Assertions.Expect(page.Locator("[data-testid=scale-0]")).ToContainTextAsync("100 ms");
        var before = await page.Locator("[data-testid=scale-0]").TextContentAsync();

        var box = (await page.Locator("[data-testid=viewport-0]").BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(box.X + box.Width / 2, box.Y + box.Height / 2);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(box.X + box.Width / 2 + 80, box.Y + box.Height / 2 + 60, new() { Steps = 5 });
        await page.Mouse.UpAsync();
        await Assertions.Expect(page.Locator("[data-testid=scale-0]")).Not.ToHaveTextAsync(before!);
        // Every label of the bar lies in the window actually drawn, whose ends are the bar's ends.
        var handle = await page.Locator("[data-testid=image-viewer]").GetAttributeAsync("data-viewer");
        var voi = await page.EvaluateAsync<double[]>($"() => {{ const v = window.readerStudy.viewer.state('{handle}')[0].voi; return [v.lower, v.upper]; }}");
        var values = (await labels.AllTextContentsAsync()).Select(t => double.Parse(t.Replace(" ms", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.NotEmpty(values);
        Assert.All(values, v => Assert.InRange(v, voi[0] - 0.5, voi[1] + 0.5));

        // A narrower, taller window: the canvas follows its element instead of being stretched.
        await page.SetViewportSizeAsync(760, 1000);
        double[] scaleXY = [];
        for (var attempt = 0; attempt < 50; attempt++)
        {
            scaleXY = await page.EvaluateAsync<double[]>("() => { const c = document.querySelector('[data-testid=viewport-0] canvas'); return [c.width / c.clientWidth, c.height / c.clientHeight]; }");
            if (Math.Abs(scaleXY[0] - scaleXY[1]) < 0.02) break;
            await Task.Delay(100);
        }
        Assert.Equal(scaleXY[0], scaleXY[1], 0.02);
        await page.Context.CloseAsync();
    }

    [GeneratedRegex(@"^Slice \d+ / \d+$")]
    private static partial Regex SliceLabel();

    [GeneratedRegex(@"femoral cartilage ([\d.]+) ms")]
    private static partial Regex MeanT2();

    [GeneratedRegex(@"T2 ([\d.]+) ms")]
    private static partial Regex ShownValue();
}
