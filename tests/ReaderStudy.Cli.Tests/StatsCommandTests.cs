using System.Text.Json;
using ReaderStudy.Testing;

namespace ReaderStudy.Cli.Tests;

/// <summary>`readerstudy stats` end to end: the published reference sets in, the documented JSON keys out.</summary>
public sealed class StatsCommandTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("readerstudy-stats-").FullName;

    private static string Reference(string name) => SharedFolder.Path("reference", name);

    private static JsonElement Json(params string[] args)
    {
        var (exit, output, error) = CommandLineTests.Run(args);
        Assert.True(exit == 0, error);
        return JsonDocument.Parse(output).RootElement;
    }

    private string Csv(string content)
    {
        var path = Path.Combine(folder, $"{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, content);
        return path;
    }

    private static void Near(double expected, JsonElement actual, int decimals) =>
        Assert.True(Math.Abs(expected - actual.GetDouble()) <= 0.5 * Math.Pow(10, -decimals), $"expected {expected}, got {actual}");

    [Fact]
    public void Icc_PrintsSixTypesWithAllKeys()
    {
        var icc = Json("stats", "icc", "--csv", Reference("shrout-fleiss-1979.csv")).GetProperty("icc");

        Assert.Equal(["ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k"], icc.EnumerateArray().Select(e => e.GetProperty("type").GetString()));
        var icc2 = icc[1];
        Near(0.2897638, icc2.GetProperty("value"), 7);
        Near(11.027248, icc2.GetProperty("f"), 6);
        Assert.Equal(15, icc2.GetProperty("df2").GetDouble());
        Near(0.0187865, icc2.GetProperty("ci_lower"), 7);
        Near(0.7610844, icc2.GetProperty("ci_upper"), 7);
        Assert.True(icc2.TryGetProperty("p", out _));
    }

    [Fact]
    public void CohenKappa_LinearWeights_MatchesSas()
    {
        var k = Json("stats", "cohen-kappa", "--csv", Reference("sas-kappa-3x3.csv"), "--weights", "linear");

        Near(0.4701, k.GetProperty("kappa"), 4);
        Near(0.1457, k.GetProperty("se"), 4);
        Near(0.1426, k.GetProperty("se0"), 4);
        Near(3.2971, k.GetProperty("z"), 4);
        Near(0.0010, k.GetProperty("p"), 4);
        Near(0.1845, k.GetProperty("ci_lower"), 4);
    }

    [Fact]
    public void FleissKappa_MatchesIrr()
    {
        var k = Json("stats", "fleiss-kappa", "--csv", Reference("fleiss-1971-diagnoses.csv"));

        Near(0.4302445, k.GetProperty("kappa"), 7);
        Near(17.65183, k.GetProperty("z"), 5);
    }

    [Fact]
    public void KrippendorffAlpha_Interval_MatchesPublished()
    {
        var a = Json("stats", "krippendorff-alpha", "--csv", Reference("krippendorff-2011.csv"), "--level", "interval");

        Near(0.849, a.GetProperty("alpha"), 3);
        Assert.Equal(11, a.GetProperty("n").GetInt32());
    }

    [Fact]
    public void WilcoxonAndPairedT_DefaultColumns_MatchR()
    {
        var w = Json("stats", "wilcoxon", "--csv", Reference("hollander-wolfe-depression.csv"));
        var t = Json("stats", "paired-t", "--csv", Reference("hollander-wolfe-depression.csv"), "--x", "first_visit", "--y", "second_visit");

        Assert.Equal(40, w.GetProperty("statistic").GetDouble());
        Assert.Equal(0.0390625, w.GetProperty("p").GetDouble(), 10);
        Assert.Equal(9, w.GetProperty("n").GetInt32());
        Near(3.0353754, t.GetProperty("t"), 7);
        Assert.Equal(8, t.GetProperty("df").GetDouble());
        Near(0.4318889, t.GetProperty("mean_difference"), 7);
        Near(0.7599991, t.GetProperty("ci_upper"), 7);
    }

    [Fact]
    public void Binomial_SixteenOfTwenty_MatchesBinomTest()
    {
        var rows = string.Join("\n", Enumerable.Range(1, 20).Select(i => $"{i},{(i <= 16 ? 1 : 0)}"));
        var b = Json("stats", "binomial", "--csv", Csv("reader,correct\n" + rows), "--x", "correct");

        Assert.Equal(16, b.GetProperty("successes").GetInt32());
        Assert.Equal(20, b.GetProperty("n").GetInt32());
        Near(0.01181793, b.GetProperty("p"), 8);      // R: binom.test(16, 20)
        Near(0.5633860, b.GetProperty("ci_lower"), 7);
        Near(0.9426660, b.GetProperty("ci_upper"), 7);
    }

    [Fact]
    public void CorrelationAgreement_OnIdenticalColumns_ArePerfect()
    {
        var csv = Csv("subject,real,synthetic\n1,40,40\n2,45,45\n3,52,52\n4,38,38\n5,60,60\n");

        Near(1, Json("stats", "pearson", "--csv", csv).GetProperty("r"), 12);
        Near(1, Json("stats", "spearman", "--csv", csv).GetProperty("r"), 12);
        Near(1, Json("stats", "ccc", "--csv", csv).GetProperty("ccc"), 12);
        var ba = Json("stats", "bland-altman", "--csv", csv);
        Assert.Equal((0.0, 0.0), (ba.GetProperty("bias").GetDouble(), ba.GetProperty("sd").GetDouble()));
    }

    [Fact]
    public void BlandAltman_DifferencesAreXMinusY()
    {
        var ba = Json("stats", "bland-altman", "--csv", Csv("s,x,y\n1,12,10\n2,13,10\n3,11,10\n4,12,10\n"));

        Near(2, ba.GetProperty("bias"), 12);
        Near(Math.Sqrt(2.0 / 3), ba.GetProperty("sd"), 12);
        Near(2 - 1.959964 * Math.Sqrt(2.0 / 3), ba.GetProperty("loa_lower"), 5);
        Assert.Equal(4, ba.GetProperty("n").GetInt32());
    }

    [Theory]
    [InlineData("pearson", "s,x\n1,2\n2,3\n3,4\n", "name the column with --y")]
    [InlineData("pearson", "s,x,y\n1,2,a\n2,3,4\n3,4,5\n", "row 1, column 'y': 'a' is not a number")]
    [InlineData("icc", "s,r1\n1,2\n2,3\n", "at least two rater columns")]
    [InlineData("icc", "s,r1,r2\n1,3,3\n2,3,3\n3,3,3\n", "every rating is the same")]
    [InlineData("fleiss-kappa", "s,r1,r2\n1,2,2\n2,2,2\n", "every rating is 2")]
    [InlineData("pearson", "s,x,y\n1,5,1\n2,5,2\n3,5,3\n", "x is constant")]
    [InlineData("wilcoxon", "s,x,y\n1,5,5\n2,6,6\n", "every paired difference is zero")]
    [InlineData("pearson", "s,x,y\n", "no data rows")]
    public void MalformedInput_FailsWithAClearMessage(string analysis, string content, string message)
    {
        var (exit, output, error) = CommandLineTests.Run("stats", analysis, "--csv", Csv(content));

        Assert.NotEqual(0, exit);
        Assert.Equal("", output);
        Assert.Contains(message, error);
    }

    [Fact]
    public void UnknownAnalysis_IsRefused()
    {
        var (exit, _, error) = CommandLineTests.Run("stats", "anova", "--csv", Reference("krippendorff-2011.csv"));

        Assert.NotEqual(0, exit);
        Assert.Contains("anova", error);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
