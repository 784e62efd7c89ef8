using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using ReaderStudy.Core.Studies;
using ReaderStudy.Web.Features.Studies;

namespace ReaderStudy.Web.Tests;

public sealed class StudyTableTests
{
    // MudBlazor's services are async-disposable only, so each test disposes its context asynchronously.
    private static BunitContext NewContext()
    {
        var context = new BunitContext();
        context.Services.AddMudServices();
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        return context;
    }

    [Fact]
    public async Task NoStudies_ShowsTheEmptyText()
    {
        await using var bunit = NewContext();
        var table = bunit.Render<StudyTable>(p => p
            .Add(x => x.Studies, [])
            .Add(x => x.Href, s => "/")
            .Add(x => x.EmptyText, "No study is assigned to you yet."));

        Assert.Equal("No study is assigned to you yet.", table.Find("[data-testid=no-studies]").TextContent);
    }

    [Fact]
    public async Task Studies_ShowNameStateReadersAndLink()
    {
        await using var bunit = NewContext();
        var id = Guid.NewGuid();
        var studies = new[] { new StudySummary(id, "Knee T2", "", StudyState.Open, 3, new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero)) };

        var table = bunit.Render<StudyTable>(p => p.Add(x => x.Studies, studies).Add(x => x.Href, s => $"/studies/{s.Id}"));

        var row = table.Find("[data-testid=study-row]");
        Assert.Contains("Knee T2", row.TextContent);
        Assert.Contains("Open", row.TextContent);
        Assert.Contains("2026-11-02", row.TextContent);
        Assert.Equal($"/studies/{id}", row.QuerySelector("a")!.GetAttribute("href"));
    }
}
