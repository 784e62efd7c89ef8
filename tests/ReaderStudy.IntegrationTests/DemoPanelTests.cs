using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using ReaderStudy.Web.Features.Reading;

namespace ReaderStudy.IntegrationTests;

/// <summary>Demo:ExtraReaders gives the demo a larger reader panel (the load bench's readers): accounts, membership, trials.</summary>
public sealed class DemoPanelTests
{
    [Fact]
    public async Task ExtraReaders_AreMembersOfTheDemoStudy_WithTrialsOfTheirOwn()
    {
        using var portal = new PortalFactory(TestDatabase.Sqlite, new Dictionary<string, string> { ["Demo:ExtraReaders"] = "3" });
        using var reader5 = await portal.NewClient().SignedInAsAsync("reader5@readerstudy.local");
        await using var db = portal.NewDbContext();
        var study = await db.Studies.SingleAsync(s => s.Name == "Knee T2 phantom demo");

        var session = (await reader5.Http.GetFromJsonAsync<ReaderSession>($"/api/reading/studies/{study.Id}/session", PortalJson.Options))!;

        Assert.Equal(5, await db.StudyMembers.CountAsync(m => m.StudyId == study.Id && m.Role == "Reader"));
        Assert.False(await db.Users.AnyAsync(u => u.Email == "reader6@readerstudy.local"));
        Assert.NotEmpty(session.Trials);
    }
}
