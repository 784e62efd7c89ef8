using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using ReaderStudy.Web.Features.Reading;
using ReaderStudy.Web.Features.Studies;

namespace ReaderStudy.IntegrationTests;

/// <summary>The portal against a careless user and an attacker: malformed bodies, hostile archives, big uploads, and the headers on every answer.</summary>
public abstract class HardeningTests(PortalFactory portal) : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("readerstudy-hardening-").FullName;

    private async Task<(PortalClient Coordinator, Guid StudyId)> NewStudyAsync()
    {
        var coordinator = await portal.NewClient().SignedInAsAsync(DemoUsers.Coordinator);
        var created = await coordinator.Http.PostAsJsonAsync("/api/studies", new NewStudy($"Hardening {Guid.NewGuid():N}", ""));
        return (coordinator, (await created.Content.ReadFromJsonAsync<StudySummary>(PortalJson.Options))!.Id);
    }

    private static void AssertNoLeak(string body)
    {
        Assert.DoesNotContain("   at ", body);
        Assert.DoesNotContain("ReaderStudy.Auth", body);
        Assert.DoesNotContain("/tmp/", body);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("{bad")]
    [InlineData("""{"questionId": 12}""")]
    [InlineData("")]
    public async Task MalformedJson_OnAnswersAndViewerEvents_IsAProblem400_WithoutATrace(string body)
    {
        await using var db = portal.NewDbContext();
        var demo = await db.Studies.Where(s => s.Name == "Knee T2 phantom demo").Select(s => s.Id).SingleAsync();
        using var reader = await portal.NewClient().SignedInAsAsync(DemoUsers.Reader1);
        var trialId = (await reader.Http.GetFromJsonAsync<ReaderSession>($"/api/reading/studies/{demo}/session", PortalJson.Options))!.Trials[0].TrialId;

        foreach (var (method, url) in new[] { (HttpMethod.Put, $"/api/reading/trials/{trialId}/answers"), (HttpMethod.Post, $"/api/reading/trials/{trialId}/events") })
        {
            using var response = await reader.Http.SendAsync(new HttpRequestMessage(method, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
            var text = await response.Content.ReadAsStringAsync();

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            AssertNoLeak(text);
        }
    }

    [Fact]
    public async Task ViewerEvents_WithAHoleInTheBatch_KeepTheGoodEntries_InsteadOfAnswering500()
    {
        // The batch an older reading page sent after a window/level drag: a null where a replaced event had been.
        await using var db = portal.NewDbContext();
        var demo = await db.Studies.Where(s => s.Name == "Knee T2 phantom demo").Select(s => s.Id).SingleAsync();
        using var reader = await portal.NewClient().SignedInAsAsync(DemoUsers.Reader2);
        var trialId = (await reader.Http.GetFromJsonAsync<ReaderSession>($"/api/reading/studies/{demo}/session", PortalJson.Options))!.Trials[0].TrialId;
        var before = await db.ViewerEvents.CountAsync(e => e.TrialId == trialId);

        using var response = await reader.Http.PostAsync($"/api/reading/trials/{trialId}/events",
            new StringContent("""[null, {"kind": "window", "detail": "{\"upper\":80}"}, {"kind": "camera"}]""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(before + 1, await db.ViewerEvents.CountAsync(e => e.TrialId == trialId));
    }

    [Fact]
    public async Task Zip_WithAnEntryOutsideItsFolder_IsRefusedNamingTheEntry_AndWritesNothingOutside()
    {
        var (coordinator, studyId) = await NewStudyAsync();
        var zip = Path.Combine(folder, "escape.zip");
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
        {
            archive.CreateEntryFromFile(SharedFolder.Path("dicom-samples", "MR_small.dcm"), "../../escaped-readerstudy.dcm");
        }

        using var response = await coordinator.Http.PostAsync($"/api/studies/{studyId}/import", Upload(zip));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("the entry '../../escaped-readerstudy.dcm' points outside the archive's folder", text);
        AssertNoLeak(text);
        Assert.False(File.Exists(Path.Combine(Path.GetTempPath(), "escaped-readerstudy.dcm")));
    }

    [Fact]
    public async Task Zip_ThatUnpacksToAThousandTimesItsSize_IsRefusedWith413_BeforeItIsWritten()
    {
        var (coordinator, studyId) = await NewStudyAsync();
        var zip = Path.Combine(folder, "bomb.zip");
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
        {
            using var entry = archive.CreateEntry("zeros.dcm", CompressionLevel.SmallestSize).Open();
            entry.Write(new byte[64 << 20]);
        }

        using var response = await coordinator.Http.PostAsync($"/api/studies/{studyId}/import", Upload(zip));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("'zeros.dcm' unpacks", text);
        Assert.Contains("Import:ZipMaxCompressionRatio", text);
        await using var db = portal.NewDbContext();
        Assert.False(await db.Series.AnyAsync(s => s.StudyId == studyId));
    }

    [Fact]
    public async Task Upload_OverKestrelsDefault30MB_ButUnderTheDocumentedLimit_IsRead_NotA500()
    {
        var (coordinator, studyId) = await NewStudyAsync();
        var big = Path.Combine(folder, "big.dcm");
        await File.WriteAllBytesAsync(big, new byte[31 << 20]);

        using var response = await coordinator.Http.PostAsync($"/api/studies/{studyId}/import", Upload(big));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("big.dcm", text);
        AssertNoLeak(text);
    }

    [Fact]
    public async Task EveryAnswer_CarriesTheSecurityHeaders_AndUnblindedDataIsNeverStored()
    {
        using var coordinator = await portal.NewClient().SignedInAsAsync(DemoUsers.Coordinator);
        await using var db = portal.NewDbContext();
        var demo = await db.Studies.Where(s => s.Name == "Knee T2 phantom demo").Select(s => s.Id).SingleAsync();

        foreach (var url in new[] { "/", "/api/studies", "/Account/Login", $"/api/studies/{demo}/results" })
        {
            using var response = await coordinator.Http.GetAsync(url);
            Assert.Equal("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));
            Assert.Equal("no-referrer", string.Join(",", response.Headers.GetValues("Referrer-Policy")));
            var csp = string.Join(",", response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("script-src 'self'", csp);
            Assert.DoesNotContain("unsafe-inline' 'self' 'unsafe-eval", csp);
            Assert.DoesNotContain("script-src 'self' 'unsafe-inline'", csp);
        }
        using var statistician = await portal.NewClient().SignedInAsAsync(DemoUsers.Statistician);
        using var results = await statistician.Http.GetAsync($"/api/studies/{demo}/results");
        Assert.True(results.StatusCode == HttpStatusCode.OK, $"{results.StatusCode}: {await results.Content.ReadAsStringAsync()}");
        Assert.Equal("no-store, private", results.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task CookieAuthenticatedApiWrites_WithoutTheAntiforgeryHeader_AreRefused_BeforeAnUploadIsRead()
    {
        var (coordinator, studyId) = await NewStudyAsync();
        coordinator.Http.DefaultRequestHeaders.Remove("X-CSRF-TOKEN");

        using var created = await coordinator.Http.PostAsJsonAsync("/api/studies", new NewStudy($"Forged {Guid.NewGuid():N}", ""));
        using var upload = await coordinator.Http.PostAsync($"/api/studies/{studyId}/import", Upload(SharedFolder.Path("dicom-samples", "MR_small.dcm")));
        using var forged = new HttpRequestMessage(HttpMethod.Post, "/api/studies") { Content = JsonContent.Create(new NewStudy($"Forged {Guid.NewGuid():N}", "")) };
        forged.Headers.Add("X-CSRF-TOKEN", "not-a-token");
        using var wrongToken = await coordinator.Http.SendAsync(forged);

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (created.StatusCode, upload.StatusCode, wrongToken.StatusCode));
        Assert.Contains("X-CSRF-TOKEN", await created.Content.ReadAsStringAsync());
        await using var db = portal.NewDbContext();
        Assert.False(await db.Studies.AnyAsync(s => s.Name.StartsWith("Forged")));
        Assert.False(await db.Series.AnyAsync(s => s.StudyId == studyId));
    }

    private static MultipartFormDataContent Upload(string file) =>
        new() { { new StreamContent(File.OpenRead(file)), "files", Path.GetFileName(file) } };

    public void Dispose() => Directory.Delete(folder, recursive: true);
}

public sealed class HardeningOnSqlite(SqlitePortal portal) : HardeningTests(portal), IClassFixture<SqlitePortal>;
