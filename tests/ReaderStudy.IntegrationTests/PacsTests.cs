using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReaderStudy.Core.Phantom;
using ReaderStudy.Core.Series;
using ReaderStudy.Imaging.Phantom;
using ReaderStudy.Web.Features.Import;
using ReaderStudy.Web.Features.Pacs;
using ReaderStudy.Web.Features.Studies;

namespace ReaderStudy.IntegrationTests;

/// <summary>Studies pulled from a real PACS (Orthanc with DICOMweb, on loopback) through the portal's import.</summary>
public abstract class PacsTests(PacsPortal portal) : IDisposable
{
    private readonly string phantom = Directory.CreateTempSubdirectory("readerstudy-pacs-test-").FullName;

    private async Task<string> StorePhantomPatientAsync(int seed)
    {
        var manifest = PhantomGenerator.Generate(phantom, 1, new KneePhantomOptions { Size = 40, Slices = 3, Seed = seed });
        var files = Directory.GetFiles(Path.Combine(phantom, manifest.Subjects[0].Pseudonym), "*.dcm", SearchOption.AllDirectories);
        await portal.Pacs.StoreAsync(files);
        return manifest.Subjects[0].Pseudonym;   // the phantom's Patient ID
    }

    private async Task<(PortalClient Coordinator, Guid StudyId)> NewStudyAsync()
    {
        var coordinator = await portal.NewClient().SignedInAsAsync(DemoUsers.Coordinator);
        var created = await coordinator.Http.PostAsJsonAsync("/api/studies", new NewStudy($"PACS {Guid.NewGuid():N}", ""));
        return (coordinator, (await created.Content.ReadFromJsonAsync<StudySummary>(PortalJson.Options))!.Id);
    }

    [Fact]
    public async Task SearchByPatientId_ThenRetrieveTwoSeries_ImportsThemClassifiedAndDeidentified_AndAudited()
    {
        var patientId = await StorePhantomPatientAsync(31);
        var (coordinator, studyId) = await NewStudyAsync();

        var found = await coordinator.Http.GetFromJsonAsync<List<PacsStudy>>($"/api/studies/{studyId}/pacs/studies?patientId={patientId}", PortalJson.Options);

        var study = Assert.Single(found!);
        Assert.Equal(patientId, study.PatientId);
        Assert.Equal(6, study.Series.Count);
        var mese = study.Series.Single(s => s.Description.Contains("MESE", StringComparison.Ordinal));
        var truth = study.Series.Single(s => s.Description.Contains("ground truth", StringComparison.Ordinal));
        Assert.Equal(21, mese.Instances);

        var response = await coordinator.Http.PostAsJsonAsync($"/api/studies/{studyId}/pacs/import",
            new PacsImportRequest([new(study.StudyInstanceUid, mese.SeriesInstanceUid), new(study.StudyInstanceUid, truth.SeriesInstanceUid)]), PortalJson.Options);

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.All(report.GetProperty("series").EnumerateArray(), s => Assert.Equal("Imported", s.GetProperty("status").GetString()));
        var series = (await coordinator.Http.GetFromJsonAsync<List<SeriesView>>($"/api/studies/{studyId}/series", PortalJson.Options))!;
        Assert.Equal([SeriesKind.Mese, SeriesKind.T2Map], series.OrderBy(s => s.SeriesNumber).Select(s => s.Kind));
        Assert.Equal("10,20,30,40,50,60,70", series.Single(s => s.Kind == SeriesKind.Mese).EchoTimesMs);
        Assert.All(series, s => Assert.Equal("S-0001", s.Subject));
        await using var db = portal.NewDbContext();
        // The retrieved files went through the same de-identification as an upload: the PACS's patient ID is nowhere in them.
        var store = portal.Services.GetRequiredService<Core.Storage.IImageStore>();
        foreach (var image in await db.SeriesImages.Where(i => db.Series.Any(s => s.Id == i.SeriesId && s.StudyId == studyId)).Take(5).ToListAsync())
        {
            var bytes = await File.ReadAllBytesAsync(await store.GetLocalPathAsync(image.ContentHash));
            Assert.DoesNotContain(patientId, System.Text.Encoding.ASCII.GetString(bytes));
        }
        var audit = await db.AuditLog.Where(e => e.StudyId == studyId).Select(e => e.Action).ToListAsync();
        Assert.Contains("pacs.searched", audit);
        Assert.Contains("pacs.retrieved", audit);

        var again = await coordinator.Http.PostAsJsonAsync($"/api/studies/{studyId}/pacs/import",
            new PacsImportRequest([new(study.StudyInstanceUid, mese.SeriesInstanceUid)]), PortalJson.Options);
        Assert.Equal("AlreadyImported", JsonDocument.Parse(await again.Content.ReadAsStringAsync()).RootElement.GetProperty("series")[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task PacsEndpoints_AreForCoordinatorsOnly_AndRefuseWhatIsNotAUid()
    {
        var (coordinator, studyId) = await NewStudyAsync();
        await coordinator.Http.PostAsJsonAsync($"/api/studies/{studyId}/members", new NewStudyMember(DemoUsers.Reader1, "Reader"));
        using var reader = await portal.NewClient().SignedInAsAsync(DemoUsers.Reader1);

        Assert.Equal(HttpStatusCode.Forbidden, (await reader.Http.GetAsync($"/api/studies/{studyId}/pacs/studies?patientId=*")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.Http.PostAsJsonAsync($"/api/studies/{studyId}/pacs/import", new PacsImportRequest([new("1.2", "1.3")]), PortalJson.Options)).StatusCode);
        var injected = await coordinator.Http.PostAsJsonAsync($"/api/studies/{studyId}/pacs/import", new PacsImportRequest([new("1.2", "../../instances")]), PortalJson.Options);
        Assert.Equal(HttpStatusCode.BadGateway, injected.StatusCode);
        Assert.Contains("DICOM UIDs", await injected.Content.ReadAsStringAsync());
    }

    private DicomWebClient Client(Dictionary<string, string> settings)
    {
        var options = new PacsSettings
        {
            DicomWebUrl = settings["Pacs:DicomWebUrl"], Name = settings["Pacs:Name"], UserName = settings["Pacs:UserName"], Password = settings["Pacs:Password"],
            TimeoutSeconds = int.Parse(settings["Pacs:TimeoutSeconds"], System.Globalization.CultureInfo.InvariantCulture),
        };
        return new DicomWebClient(new HttpClient { Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds) }, Options.Create(options));
    }

    [Fact]
    public async Task APacsThatRefusesTheCredentials_IsNamedWith401()
    {
        var error = await Assert.ThrowsAsync<PacsException>(() => Client(portal.Pacs.PortalSettings(password: "wrong")).SearchAsync("*", null, CancellationToken.None));

        Assert.Contains("Test PACS", error.Message);
        Assert.Contains("refused the portal's credentials (401", error.Message);
    }

    [Fact]
    public async Task APacsThatNeverAnswers_TimesOutNamingTheServer()
    {
        using var silent = new TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var settings = portal.Pacs.PortalSettings(timeoutSeconds: 1);
        settings["Pacs:DicomWebUrl"] = $"http://127.0.0.1:{port}/dicom-web/";
        var accepted = silent.AcceptTcpClientAsync();

        var error = await Assert.ThrowsAsync<PacsException>(() => Client(settings).SearchAsync("*", null, CancellationToken.None));

        Assert.Contains($"127.0.0.1:{port}", error.Message);
        Assert.Contains("did not answer within 1 s", error.Message);
        (await accepted).Dispose();
    }

    [Fact]
    public async Task APacsThatIsDown_IsNamedAsUnreachable_AndNothingIsStored()
    {
        var (coordinator, studyId) = await NewStudyAsync();
        var settings = portal.Pacs.PortalSettings();
        settings["Pacs:DicomWebUrl"] = $"http://127.0.0.1:{OrthancServer.FreePort()}/dicom-web/";

        var error = await Assert.ThrowsAsync<PacsException>(() => Client(settings).RetrieveSeriesAsync("1.2.3", "1.2.3.4", phantom, 1 << 20, CancellationToken.None));

        Assert.Contains("cannot be reached", error.Message);
        await using var db = portal.NewDbContext();
        Assert.Equal(0, await db.Series.CountAsync(s => s.StudyId == studyId));
        coordinator.Dispose();
    }

    public void Dispose() => Directory.Delete(phantom, recursive: true);
}

public sealed class PacsOnSqlite(PacsPortal portal) : PacsTests(portal), IClassFixture<PacsPortal>;

public sealed class PacsOnPostgres(PacsPostgresPortal portal) : PacsTests(portal), IClassFixture<PacsPostgresPortal>;
