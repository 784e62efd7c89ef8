using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ReaderStudy.Core.Studies;
using ReaderStudy.Web.Features.Studies;

namespace ReaderStudy.Testing;

/// <summary>The coordinator's API calls the tests of study kinds repeat: create a study, upload DICOM files.</summary>
public static class StudyApiCalls
{
    public static async Task<Guid> CreateStudyAsync(this PortalClient coordinator, string name, StudyKind kind = StudyKind.QuantitativeMap)
    {
        var created = await coordinator.Http.PostAsJsonAsync("/api/studies", new NewStudy(name, "", kind), PortalJson.Options);
        return created.IsSuccessStatusCode
            ? (await created.Content.ReadFromJsonAsync<StudySummary>(PortalJson.Options))!.Id
            : throw new InvalidOperationException($"Creating study '{name}': {(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");
    }

    /// <summary>Uploads the files as the import page does; the import report's series, one element each.</summary>
    public static async Task<List<JsonElement>> ImportFilesAsync(this PortalClient coordinator, Guid studyId, IEnumerable<string> files)
    {
        var response = await coordinator.Http.PostAsync($"/api/studies/{studyId}/import", Upload(files));
        var body = await response.Content.ReadAsStringAsync();
        return response.StatusCode == HttpStatusCode.OK
            ? [.. JsonDocument.Parse(body).RootElement.GetProperty("series").EnumerateArray()]
            : throw new InvalidOperationException($"Import into {studyId}: {(int)response.StatusCode} {body}");
    }

    /// <summary>The files as the import page uploads them (for a test that wants the raw response).</summary>
    public static MultipartFormDataContent Upload(IEnumerable<string> files)
    {
        var content = new MultipartFormDataContent();
        foreach (var file in files)
        {
            content.Add(new ByteArrayContent(File.ReadAllBytes(file)), "files", Path.GetFileName(file));
        }
        return content;
    }
}
