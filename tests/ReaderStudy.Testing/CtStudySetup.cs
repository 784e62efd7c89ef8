using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ReaderStudy.Core.Phantom;
using ReaderStudy.Core.Series;
using ReaderStudy.Core.Studies;
using ReaderStudy.Core.Synthesis;
using ReaderStudy.Imaging.Phantom;
using ReaderStudy.Web.Features.Import;
using ReaderStudy.Web.Features.Reading;
using ReaderStudy.Web.Features.Studies;
using ReaderStudy.Web.Features.Synthesis;

namespace ReaderStudy.Testing;

/// <summary>
/// A synthetic-CT study set up from scratch through the API as a coordinator would: create, import the pelvis
/// phantom's MR, CT and SEG, mark the CTs real, synthesize with the demo MR-to-CT generator, add a reader and the
/// statistician, the default form, cases, open and close (or stop at a draft or an open study). Returns the study and the phantom's manifest (its truth).
/// </summary>
public static class CtStudySetup
{
    public static async Task<(Guid Study, PelvisManifest Truth)> CreateClosedAsync(PortalClient coordinator, Func<Core.Data.ReaderStudyDbContext> newDbContext, string folder, int subjects = 3,
        StudyState until = StudyState.Closed)
    {
        var study = await coordinator.CreateStudyAsync($"Sacroiliitis sCT {Guid.NewGuid():N}"[..28], StudyKind.Ct);
        var cohort = Path.Combine(folder, $"cohort-{Guid.NewGuid():N}");
        var manifest = PelvisStudyWriter.Generate(cohort, subjects, new PelvisPhantomOptions { Size = 64, Slices = 4, Seed = 41 });
        await coordinator.ImportFilesAsync(study, Directory.GetFiles(cohort, "*.dcm", SearchOption.AllDirectories));
        var series = (await coordinator.Http.GetFromJsonAsync<List<SeriesView>>($"/api/studies/{study}/series", PortalJson.Options))!;
        foreach (var ct in series.Where(s => s.Kind == SeriesKind.ComparedImage))
        {
            await Ok(await coordinator.Http.PutAsJsonAsync($"/api/studies/{study}/series/{ct.Id}/origin", new ReadingApi.OriginChange(MapOrigin.Real), PortalJson.Options));
        }
        var generator = (await coordinator.Http.GetFromJsonAsync<List<RegisteredGenerator>>("/api/generators", PortalJson.Options))!.Single(g => g.Name.StartsWith("pelvis", StringComparison.Ordinal));
        await using (var db = newDbContext())
        {
            foreach (var subject in await db.Subjects.Where(s => s.StudyId == study).Select(s => s.Id).ToListAsync())
            {
                await Ok(await coordinator.Http.PostAsJsonAsync($"/api/studies/{study}/synthesize", new SynthesisRequest(subject, generator.Id), PortalJson.Options));
            }
        }
        foreach (var member in new[] { new NewStudyMember(DemoUsers.Reader1, "Reader"), new NewStudyMember(DemoUsers.Statistician, "Statistician") })
        {
            await Ok(await coordinator.Http.PostAsJsonAsync($"/api/studies/{study}/members", member, PortalJson.Options));
        }
        await Ok(await coordinator.Http.PostAsync($"/api/studies/{study}/reading/questions/default", null));
        var built = await Ok(await coordinator.Http.PostAsync($"/api/studies/{study}/reading/cases/build", null));
        if (JsonDocument.Parse(built).RootElement.GetProperty("cases").GetInt32() != subjects)
        {
            throw new InvalidOperationException($"Expected {subjects} cases: {built}");
        }
        foreach (var state in new[] { StudyState.Open, StudyState.Closed }.Where(s => s <= until))
        {
            await Ok(await coordinator.Http.PostAsJsonAsync($"/api/studies/{study}/state", new StudyStateChange(state), PortalJson.Options));
        }
        Directory.Delete(cohort, recursive: true);
        return (study, manifest);
    }

    private static async Task<string> Ok(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? body : throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {body}");
    }
}
