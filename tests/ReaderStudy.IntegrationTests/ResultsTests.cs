using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ReaderStudy.Web.Features.Studies;

namespace ReaderStudy.IntegrationTests;

/// <summary>Results and exports of the demo study after two readers read it: one always right, one always wrong.</summary>
public sealed class ResultsTests(SqlitePortal portal) : IClassFixture<SqlitePortal>
{
    private async Task<Guid> ReadAndCloseAsync()
    {
        await using var db = portal.NewDbContext();
        var studyId = await db.Studies.Where(s => s.Name == "Knee T2 phantom demo").Select(s => s.Id).SingleAsync();
        if (await db.Studies.AnyAsync(s => s.Id == studyId && s.State == Core.Studies.StudyState.Closed))
        {
            return studyId;
        }
        using var reader1 = await portal.NewClient().SignedInAsAsync(DemoUsers.Reader1);
        using var reader2 = await portal.NewClient().SignedInAsAsync(DemoUsers.Reader2);
        await DemoReading.ReadAllAsync(portal, reader1, studyId, correct: true, grade: 5);
        await DemoReading.ReadAllAsync(portal, reader2, studyId, correct: false, grade: 4);
        using var coordinator = await portal.NewClient().SignedInAsAsync(DemoUsers.Coordinator);
        Assert.Equal(HttpStatusCode.NoContent, (await coordinator.Http.PostAsJsonAsync($"/api/studies/{studyId}/state", new StudyStateChange(Core.Studies.StudyState.Closed))).StatusCode);
        return studyId;
    }

    [Fact]
    public async Task Results_AccuracyAndGrades_FollowTheAnswersAndTheKey()
    {
        var studyId = await ReadAndCloseAsync();
        using var statistician = await portal.NewClient().SignedInAsAsync(DemoUsers.Statistician);

        var json = JsonDocument.Parse(await statistician.Http.GetStringAsync($"/api/studies/{studyId}/results/full")).RootElement;

        var accuracy = json.GetProperty("accuracy").EnumerateArray().ToDictionary(a => a.GetProperty("reader").GetString()!, a => a.GetProperty("accuracy"));
        Assert.Equal(1.0, accuracy[DemoUsers.Reader1].GetProperty("proportion").GetDouble());
        Assert.Equal(0.0, accuracy[DemoUsers.Reader2].GetProperty("proportion").GetDouble());
        Assert.Equal(0.5, accuracy["all readers (pooled)"].GetProperty("proportion").GetDouble());
        Assert.Equal(4, accuracy["all readers (pooled)"].GetProperty("n").GetInt32());
        var snr = json.GetProperty("grades").EnumerateArray().First(g => g.GetProperty("question").GetString() == "Signal-to-noise ratio" && g.GetProperty("reader").GetString() == DemoUsers.Reader1);
        Assert.Equal((5.0, 4.0), (snr.GetProperty("realMean").GetDouble(), snr.GetProperty("syntheticMean").GetDouble()));
        Assert.Contains(json.GetProperty("t2Agreement").EnumerateArray(), a => a.GetProperty("region").GetString() == "Femoral cartilage");
        // Per slice there are enough pairs for every agreement statistic; for two methods ICC(A,1) and Lin's CCC nearly coincide.
        var perSlice = json.GetProperty("t2Agreement").EnumerateArray().First(a => a.GetProperty("region").GetString()!.StartsWith("Femoral cartilage, per slice", StringComparison.Ordinal));
        var (icc, ccc) = (perSlice.GetProperty("icc"), perSlice.GetProperty("ccc").GetProperty("ccc").GetDouble());
        Assert.Equal("ICC2", icc.GetProperty("type").GetString());
        Assert.InRange(icc.GetProperty("value").GetDouble(), ccc - 0.05, ccc + 0.05);
        Assert.InRange(icc.GetProperty("value").GetDouble(), icc.GetProperty("ciLower").GetDouble(), icc.GetProperty("ciUpper").GetDouble());
        Assert.InRange(perSlice.GetProperty("spearman").GetProperty("r").GetDouble(), -1, 1);
    }

    [Fact]
    public async Task Exports_AnswersCsv_JoinsTheKey_AndReadersCannotDownloadIt()
    {
        var studyId = await ReadAndCloseAsync();
        using var statistician = await portal.NewClient().SignedInAsAsync(DemoUsers.Statistician);
        using var reader = await portal.NewClient().SignedInAsAsync(DemoUsers.Reader1);

        var csv = await statistician.Http.GetStringAsync($"/api/studies/{studyId}/exports/answers.csv");
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.StartsWith("Reader,Case,Subject,Position,RealOnLeft,Seed,IsRepeat,QuestionOrder,Question,QuestionKind,Side,ImageOrigin,Value,Correct,AnsweredAt,SecondsOnCase", lines[0]);
        Assert.Equal(2 * 2 * (2 + 5 * 2), lines.Length - 1);
        // AnsweredAt in ISO 8601, UTC.
        Assert.All(lines.Skip(1), l => Assert.Matches(@",20\d\d-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}\+00:00,", l));
        Assert.All(lines.Where(l => l.Contains("WhichIsReal", StringComparison.Ordinal) && l.StartsWith(DemoUsers.Reader1, StringComparison.Ordinal)), l => Assert.Contains(",1,", l));
        var parquet = await statistician.Http.GetByteArrayAsync($"/api/studies/{studyId}/exports/answers.parquet");
        var fromParquet = (await Parquet.Serialization.ParquetSerializer.DeserializeAsync<Web.Features.StudyResults.ParquetAnswerRow>(new MemoryStream(parquet))).Data;
        Assert.Equal(lines.Length - 1, fromParquet.Count);
        Assert.All(fromParquet.Where(r => r.QuestionKind == "WhichIsReal" && r.Reader == DemoUsers.Reader1), r => Assert.Equal(1, r.Correct));
        var imrmc = await statistician.Http.GetStringAsync($"/api/studies/{studyId}/exports/imrmc.txt");
        Assert.Contains("BEGIN DATA:", imrmc);
        Assert.Contains("-1,1-real,0,1", imrmc);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.Http.GetAsync($"/api/studies/{studyId}/exports/answers.csv")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.Http.GetAsync($"/api/studies/{studyId}/results/full")).StatusCode);
    }

    [Fact]
    public async Task Exports_AndReport_RecordThePresentationAndTheBlindingVerdict()
    {
        var studyId = await ReadAndCloseAsync();
        using var statistician = await portal.NewClient().SignedInAsAsync(DemoUsers.Statistician);

        var json = System.Text.Json.JsonDocument.Parse(await statistician.Http.GetStringAsync($"/api/studies/{studyId}/exports/results.json")).RootElement.GetProperty("blinding");
        var report = await statistician.Http.GetStringAsync($"/api/studies/{studyId}/exports/report.html");

        Assert.Equal("values clipped to 0-100 ms, rounded to 0.1 ms, background: a voxel without a value in either map is 0 in both", json.GetProperty("presentation").GetString());
        Assert.StartsWith("passed: 4 trial(s) of 2 case(s)", json.GetProperty("verdict").GetString());
        Assert.Contains("rounded to 0.1 ms", report);
        Assert.Contains("Blinding check at opening: passed: 4 trial(s)", report);
    }
}
