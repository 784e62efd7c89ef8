using ReaderStudy.Testing;

namespace ReaderStudy.Cli.Tests;

/// <summary>
/// `readerstudy stats` as installed runs an ahead-of-time compiled binary (trimmed: code the compiler could
/// not see is gone). Every analysis, and every refusal, must print exactly what the full command line prints.
/// </summary>
public sealed class PublishedCommandLineTests(PublishedCommandLine cli) : IClassFixture<PublishedCommandLine>, IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("readerstudy-published-").FullName;

    public static TheoryData<string> Analyses =>
    [
        "icc shrout-fleiss-1979.csv", "cohen-kappa sas-kappa-3x3.csv --weights linear", "cohen-kappa sas-kappa-3x3.csv --weights quadratic",
        "fleiss-kappa fleiss-1971-diagnoses.csv", "krippendorff-alpha krippendorff-2011.csv --level interval",
        "krippendorff-alpha krippendorff-2011.csv --level nominal", "wilcoxon hollander-wolfe-depression.csv --alternative greater",
        "paired-t hollander-wolfe-depression.csv --x first_visit --y second_visit", "pearson hollander-wolfe-depression.csv",
        "spearman hollander-wolfe-depression.csv", "ccc hollander-wolfe-depression.csv", "bland-altman hollander-wolfe-depression.csv",
        "mrmc VANDYKE", "mrmc VANDYKE --margin 0.05", "roc VANDYKE-READER --truth truth --x rating", "binomial BINOMIAL --x correct",
        // Refusals: a malformed table and an unknown analysis.
        "pearson MALFORMED", "icc MISSING.csv", "anova shrout-fleiss-1979.csv",
    ];

    [Theory]
    [MemberData(nameof(Analyses))]
    public void Stats_AheadOfTimeBinary_PrintsWhatTheFullCommandLinePrints(string analysis)
    {
        var words = analysis.Split(' ');
        string[] args = ["stats", words[0], "--csv", Table(words[1]), .. words[2..]];

        var expected = CommandLineTests.Run(args);
        var actual = cli.Run(args);

        Assert.Equal(expected.Exit, actual.Exit);
        // In process, usage names the test host where the installed command names itself.
        Assert.Equal(expected.Output.Replace("testhost", "readerstudy").Trim(), actual.Output.Trim());
        Assert.Equal(expected.Error.Replace("testhost", "readerstudy").Trim(), actual.Error.Trim());
        Assert.True(expected.Exit != 0 || expected.Output.Length > 20, $"{analysis}: nothing to compare");
    }

    [Fact]
    public void Launcher_SendsStatsToANativeBinaryAndTheRestToTheFullCommandLine()
    {
        var native = Path.Combine(cli.Folder, "readerstudy-stats");
        Assert.Equal("\u007fELF"u8.ToArray(), File.ReadAllBytes(native)[..4]);
        Assert.False(File.Exists(native + ".dll"), "the stats binary needs no assembly beside it");

        var (exit, output, error) = cli.Run("version");

        Assert.True(exit == 0, error);
        Assert.Contains("readerstudy", output);
    }

    private string Table(string name)
    {
        var path = Path.Combine(folder, name);
        switch (name)
        {
            case "VANDYKE":
                File.WriteAllText(path, VanDyke1993.Csv());
                return path;
            case "VANDYKE-READER":
                var lines = VanDyke1993.Csv().Split('\n', StringSplitOptions.RemoveEmptyEntries);
                File.WriteAllLines(path, [lines[0], .. lines.Skip(1).Where(l => l.StartsWith("reader1,1,", StringComparison.Ordinal))]);
                return path;
            case "BINOMIAL":
                File.WriteAllText(path, "reader,correct\n" + string.Concat(Enumerable.Range(0, 20).Select(i => $"r{i},{(i < 16 ? 1 : 0)}\n")));
                return path;
            case "MALFORMED":
                File.WriteAllText(path, "s,x,y\n1,2,a\n2,3,4\n3,4,5\n");
                return path;
            case "MISSING.csv":
                return path;
            default:
                return SharedFolder.Path("reference", name);
        }
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
