using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ReaderStudy.Core.Data;
using ReaderStudy.Core.Storage;
using ReaderStudy.Web.Features.Studies;

namespace ReaderStudy.IntegrationTests;

/// <summary>
/// Every broken variant of every sample, through the import API in one upload: each file is read or refused by
/// name, the portal stays up, nothing is half-stored and no temporary file is left. The portal runs as a process
/// of its own, so that damage GDCM might do to it shows as that process dying (asserted), not as a crashed test host.
/// </summary>
public sealed class DicomFuzzTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("readerstudy-fuzz-").FullName;
    private readonly string data = Directory.CreateTempSubdirectory("readerstudy-fuzz-data-").FullName;

    [Fact]
    public async Task Import_TheFuzzCorpus_ReadsOrRefusesEveryFileByName_AndStoresOnlyWholeSeries()
    {
        var corpus = DicomFuzzCorpus.Write(folder);
        using var portal = await PortalProcess.StartAsync(SynthesisKillTests.SettingsFor(TestDatabase.Sqlite, "", data));
        using var coordinator = await SynthesisKillTests.CoordinatorAsync(portal);
        var created = await coordinator.Http.PostAsJsonAsync("/api/studies", new NewStudy($"Fuzz {Guid.NewGuid():N}", ""));
        var studyId = (await created.Content.ReadFromJsonAsync<StudySummary>(PortalJson.Options))!.Id;
        using var upload = new MultipartFormDataContent();
        foreach (var file in corpus)
        {
            upload.Add(new ByteArrayContent(await File.ReadAllBytesAsync(file)), "files", Path.GetFileName(file));
        }

        using var response = await coordinator.Http.PostAsync($"/api/studies/{studyId}/import", upload);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.DoesNotContain("/tmp/", text);
        var report = JsonDocument.Parse(text).RootElement;
        var refused = report.GetProperty("fileErrors").EnumerateArray().Select(e => (File: e.GetProperty("file").GetString()!, Error: e.GetProperty("error").GetString()!)).ToList();
        Assert.All(refused, e => Assert.Contains(e.File, e.Error));
        Assert.Contains(refused, e => e.File == "rtdose_1frame.dcm" && e.Error.Contains("modality RTDOSE", StringComparison.Ordinal));
        Assert.Equal(corpus.Count, report.GetProperty("filesRead").GetInt32());
        Assert.Equal(HttpStatusCode.OK, (await coordinator.Http.GetAsync("/health/live")).StatusCode);
        // Every stored series opens in the viewer's API (its slices decoded), and the portal is still alive after.
        var stored = (await coordinator.Http.GetFromJsonAsync<List<Web.Features.Import.SeriesView>>($"/api/studies/{studyId}/series", PortalJson.Options))!;
        foreach (var series in stored)
        {
            Assert.Equal(HttpStatusCode.OK, (await coordinator.Http.GetAsync($"/api/studies/{studyId}/series/{series.Id}/volume")).StatusCode);
        }
        Assert.False(portal.HasExited, portal.Log);

        // Nothing half-stored: every stored series has all its images, each in the store.
        await using var db = new ReaderStudyDbContext(DatabaseProvider.OptionsFor("Sqlite", DatabaseProvider.DefaultSqliteConnectionString(data)));
        var store = new LocalImageStore(Path.Combine(data, "store"));
        foreach (var series in await db.Series.Where(s => s.StudyId == studyId).Include(s => s.Images).ToListAsync())
        {
            Assert.Equal(series.ImageCount, series.Images.Count);
            foreach (var image in series.Images)
            {
                Assert.True(await store.ContainsAsync(image.ContentHash));
            }
        }
        Assert.Empty(Directory.GetDirectories(Path.GetTempPath(), "readerstudy-upload-*").SelectMany(d => Directory.GetFiles(d, "*-flip*", SearchOption.AllDirectories)));
    }

    public void Dispose()
    {
        Directory.Delete(folder, recursive: true);
        try { Directory.Delete(data, recursive: true); } catch (IOException) { }
    }
}
