using System.Globalization;
using System.Text;
using System.Text.Json;
using ReaderStudy.Testing;

namespace ReaderStudy.Cli.Tests;

/// <summary>
/// `readerstudy stats roc | roc-test | mrmc` on Van Dyke et al.'s cine vs spin-echo MRI readings, against the Iowa
/// OR-DBM MRMC 2.51 output (RJafroc inst/IowaResults/VanDyke.txt) and MRMCaov's DeLong output (its JSS manuscript).
/// </summary>
public sealed class DiagnosticStatsCommandTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("readerstudy-roc-").FullName;

    private static JsonElement Json(params string[] args)
    {
        var (exit, output, error) = CommandLineTests.Run(args);
        Assert.True(exit == 0, error);
        return JsonDocument.Parse(output).RootElement;
    }

    private string Write(string content)
    {
        var path = Path.Combine(folder, $"{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, content);
        return path;
    }

    private static void Near(double expected, JsonElement actual, int decimals) =>
        Assert.True(Math.Abs(expected - actual.GetDouble()) <= 0.5 * Math.Pow(10, -decimals) + 1e-12, $"expected {expected}, got {actual}");

    /// <summary>One reader's readings, one row per case: case,truth,cine,se.</summary>
    private string ReaderTable(int reader)
    {
        var rows = VanDyke1993.Rows().Where(r => r.Reader == $"reader{reader}").ToList();
        var csv = new StringBuilder("case,truth,cine,se\n");
        foreach (var @case in rows.Select(r => r.Case).Distinct())
        {
            var one = rows.Single(r => r.Case == @case && r.Modality == "1");
            var two = rows.Single(r => r.Case == @case && r.Modality == "2");
            csv.Append(CultureInfo.InvariantCulture, $"{@case},{one.Truth},{one.Rating},{two.Rating}\n");
        }
        return Write(csv.ToString());
    }

    [Fact]
    public void Mrmc_VanDyke_PrintsTheHillisAnalysisWithExactlyTheDocumentedKeys()
    {
        var result = Json("stats", "mrmc", "--csv", Write(VanDyke1993.Csv()));

        Near(-0.04380032, result.GetProperty("difference"), 8);
        Near(4.46, result.GetProperty("f"), 2);
        Assert.Equal(1, result.GetProperty("df1").GetDouble());
        Near(15.26, result.GetProperty("df2"), 2);
        Near(0.0517, result.GetProperty("p"), 4);
        Near(-0.08796, result.GetProperty("ci_lower"), 5);
        Near(0.00036, result.GetProperty("ci_upper"), 5);
        var modalities = result.GetProperty("modalities").EnumerateArray().ToList();
        Assert.Equal(["1", "2"], modalities.Select(m => m.GetProperty("modality").GetString()));
        Assert.Equal(["modality", "auc", "se", "df", "ci_lower", "ci_upper"], modalities[0].EnumerateObject().Select(p => p.Name));
        Near(0.89703704, modalities[0].GetProperty("auc"), 8);
        Near(0.03317360, modalities[0].GetProperty("se"), 8);
        Near(12.74, modalities[0].GetProperty("df"), 2);
        Near(0.82522360, modalities[0].GetProperty("ci_lower"), 8);
        Near(0.98753689, modalities[1].GetProperty("ci_upper"), 8);
        Assert.False(result.TryGetProperty("noninferior", out _));
        Assert.Equal(10, result.GetProperty("readers").GetArrayLength());
    }

    [Fact]
    public void Mrmc_WithMargin_GivesTheNonInferiorityVerdictOfTheTestedModality()
    {
        var csv = Write(VanDyke1993.Csv());
        // Spin echo (the second modality, tested by default): +0.0438 with lower bound -0.00036, inside a 0.05 margin.
        var second = Json("stats", "mrmc", "--csv", csv, "--margin", "0.05");
        Assert.Equal("2", second.GetProperty("tested").GetString());
        Assert.True(second.GetProperty("noninferior").GetBoolean());
        Assert.InRange(second.GetProperty("p_noninferiority").GetDouble(), 0, 0.025);
        // Cine: -0.0438 with lower bound -0.08796, outside it.
        var first = Json("stats", "mrmc", "--csv", csv, "--margin", "0.05", "--tested", "1");
        Assert.False(first.GetProperty("noninferior").GetBoolean());
        Assert.InRange(first.GetProperty("p_noninferiority").GetDouble(), 0.025, 1);
    }

    [Fact]
    public void RocAndRocTest_PerReader_AddUpToMrmcaovsDeLongVarianceAndCov1()
    {
        // Every reader and modality through `stats roc`, every reader's pair through `stats roc-test`: the mean DeLong
        // variance and the mean within-reader covariance are MRMCaov's Error and Cov1 (cov = DeLong) on the same data.
        var variances = new List<double>();
        var covariances = new List<double>();
        for (var reader = 1; reader <= 5; reader++)
        {
            var table = ReaderTable(reader);
            var cine = Json("stats", "roc", "--csv", table, "--truth", "truth", "--x", "cine");
            var se = Json("stats", "roc", "--csv", table, "--truth", "truth", "--x", "se");
            Assert.Equal(45, cine.GetProperty("n_positive").GetInt32());
            Assert.Equal(69, cine.GetProperty("n_negative").GetInt32());
            var test = Json("stats", "roc-test", "--csv", table, "--truth", "truth", "--x", "cine", "--y", "se");
            Near(cine.GetProperty("auc").GetDouble() - se.GetProperty("auc").GetDouble(), test.GetProperty("difference"), 12);
            var seDifference = (test.GetProperty("ci_upper").GetDouble() - test.GetProperty("ci_lower").GetDouble()) / (2 * 1.959963984540054);
            Near(test.GetProperty("difference").GetDouble() / seDifference, test.GetProperty("z"), 9);
            var (vx, vy) = (Math.Pow(cine.GetProperty("se").GetDouble(), 2), Math.Pow(se.GetProperty("se").GetDouble(), 2));
            variances.AddRange([vx, vy]);
            covariances.Add((vx + vy - seDifference * seDifference) / 2);
        }
        Assert.Equal(0.0007921325, variances.Average(), 10);
        Assert.Equal(0.0003420090, covariances.Average(), 10);

        // Reader 5, the widest gap (OR-DBM's single-reader d): 0.82979066 - 0.92995169.
        var five = Json("stats", "roc-test", "--csv", ReaderTable(5), "--truth", "truth", "--x", "cine", "--y", "se");
        Near(-0.10016103, five.GetProperty("difference"), 8);
        Assert.Equal(["difference", "z", "p", "ci_lower", "ci_upper"], five.EnumerateObject().Select(p => p.Name).Take(5));
        Assert.InRange(five.GetProperty("p").GetDouble(), 0.001, 0.05);
    }

    [Theory]
    [InlineData("reader,modality,case,truth\nr1,a,c1,1\n", "no column 'rating'")]
    [InlineData("reader,modality,case,truth,rating\nr1,a,c1,2,3\n", "truth must be 0 or 1")]
    [InlineData("reader,modality,case,truth,rating\nr1,a,c1,1,3\nr1,b,c1,1,4\n", "at least two readers")]
    public void Mrmc_BadTable_IsRefusedWithTheProblemNamed(string csv, string message)
    {
        var (exit, _, error) = CommandLineTests.Run("stats", "mrmc", "--csv", Write(csv));
        Assert.Equal(2, exit);
        Assert.Contains(message, error);
    }

    [Fact]
    public void Roc_WithoutTruth_OrWithOneClass_IsRefused()
    {
        var table = Write("case,truth,score\na,1,3\nb,1,4\n");
        var (exit, _, error) = CommandLineTests.Run("stats", "roc", "--csv", table, "--x", "score");
        Assert.Equal(2, exit);
        Assert.Contains("--truth", error);
        (exit, _, error) = CommandLineTests.Run("stats", "roc", "--csv", table, "--truth", "truth", "--x", "score");
        Assert.Equal(2, exit);
        Assert.Contains("truth 1 and with truth 0", error);
    }

    public void Dispose()
    {
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
    }
}
