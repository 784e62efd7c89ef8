using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace ReaderStudy.Bench;

/// <summary>
/// How fast `readerstudy stats` starts, as installed (deploy/lib/cli.sh): one small analysis, and the battery of
/// all fourteen analyses on a 10-reader × 500-case study, beside the full command line and R (Rscript, one
/// invocation per analysis, bench/stats_battery.R) on the same tables.
/// </summary>
internal static class CliStartBench
{
    private static readonly string[] Battery =
    [
        "pearson", "spearman", "ccc", "bland-altman", "icc", "cohen-kappa", "fleiss-kappa", "krippendorff-alpha",
        "wilcoxon", "paired-t", "binomial", "roc", "roc-test", "mrmc",
    ];

    public static void Run(string? installed)
    {
        var launcher = installed ?? Environment.GetEnvironmentVariable("READERSTUDY_CLI") ?? Publish();
        var folder = Directory.CreateTempSubdirectory("readerstudy-cli-bench-").FullName;
        try
        {
            var tables = Tables(folder);
            var small = Path.Combine(Repository, "..", "shared", "reference", "shrout-fleiss-1979.csv");
            var fullCli = Path.Combine(Path.GetDirectoryName(launcher)!, "lib", "readerstudy");
            var built = Path.Combine(Repository, "src", "ReaderStudy.Cli", "bin", "Release", "net10.0", "readerstudy.dll");
            Console.WriteLine("| what | median wall | detail |");
            Console.WriteLine("|---|---|---|");
            var aot = Median(20, () => Start(launcher, "stats", "icc", "--csv", small));
            Row("`readerstudy stats icc` on a 6-subject table, as installed (ahead-of-time binary)", aot, "20 runs");
            var r2r = Median(10, () => Start(fullCli, "stats", "icc", "--csv", small));
            Row("the same through the full command line (ReadyToRun)", r2r, $"{r2r / aot:F1}× the installed command");
            if (File.Exists(built))
            {
                var jit = Median(10, () => Start("dotnet", built, "stats", "icc", "--csv", small));
                Row("the same from the build output (`dotnet readerstudy.dll`, JIT)", jit, $"{jit / aot:F1}× the installed command");
            }
            var ours = Median(3, () => Battery.Sum(a => Start(launcher, ["stats", a, .. Arguments(a, tables)])));
            Row("battery of 14 analyses, 10 readers × 500 cases, as installed", ours, $"{ours / Battery.Length * 1000:F0} ms per analysis");
            var oursFull = Median(3, () => Battery.Sum(a => Start(fullCli, ["stats", a, .. Arguments(a, tables)])));
            Row("the same battery through the full command line (ReadyToRun)", oursFull, $"{oursFull / ours:F1}× the installed command");
            if (File.Exists("/usr/bin/Rscript"))
            {
                var script = Path.Combine(Repository, "bench", "stats_battery.R");
                var r = Median(3, () => Battery.Sum(a => Start("/usr/bin/Rscript", script, a, tables.Wide, tables.Long)));
                Row("the same battery in R (Rscript per analysis, base R)", r, $"ours as installed: **{r / ours:F1}×** faster");
            }
            else
            {
                Console.WriteLine("R: /usr/bin/Rscript not found (apt-get install r-base-core), no R row");
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string Repository => Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", ".."));

    private sealed record StudyTables(string Wide, string Raters, string Long);

    private static string[] Arguments(string analysis, StudyTables t) => analysis switch
    {
        "icc" or "fleiss-kappa" or "krippendorff-alpha" => ["--csv", t.Raters],
        "mrmc" => ["--csv", t.Long],
        "binomial" => ["--csv", t.Wide, "--x", "correct"],
        "roc" => ["--csv", t.Wide, "--truth", "truth", "--x", "r1"],
        "roc-test" => ["--csv", t.Wide, "--truth", "truth", "--x", "r1", "--y", "r2"],
        _ => ["--csv", t.Wide, "--x", "r1", "--y", "r2"],
    };

    /// <summary>A 10-reader × 500-case study: wide (case, truth, correct, r1..r10), raters only, and long (one row per reading, both modalities).</summary>
    private static StudyTables Tables(string folder)
    {
        var random = new Random(20261202);
        double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        const int Readers = 10, Cases = 500;
        var wide = new StringBuilder("case,truth,correct," + string.Join(',', Enumerable.Range(1, Readers).Select(r => $"r{r}")) + "\n");
        var raters = new StringBuilder("case," + string.Join(',', Enumerable.Range(1, Readers).Select(r => $"r{r}")) + "\n");
        var longTable = new StringBuilder("reader,modality,case,truth,rating\n");
        for (var c = 0; c < Cases; c++)
        {
            var truth = c % 2;
            var ratings = new int[Readers];
            for (var r = 0; r < Readers; r++)
            {
                foreach (var modality in new[] { "real", "synthetic" })
                {
                    var rating = (int)Math.Clamp(Math.Round(50 + (truth == 1 ? 18 : -18) + 25 * Gaussian()), 0, 100);
                    longTable.Append(CultureInfo.InvariantCulture, $"r{r + 1},{modality},c{c:000},{truth},{rating}\n");
                    ratings[r] = modality == "real" ? rating : ratings[r];
                }
            }
            wide.Append(CultureInfo.InvariantCulture, $"c{c:000},{truth},{(ratings[0] > 50 ? 1 : 0)},{string.Join(',', ratings)}\n");
            raters.Append(CultureInfo.InvariantCulture, $"c{c:000},{string.Join(',', ratings)}\n");
        }
        var tables = new StudyTables(Path.Combine(folder, "wide.csv"), Path.Combine(folder, "raters.csv"), Path.Combine(folder, "long.csv"));
        File.WriteAllText(tables.Wide, wide.ToString());
        File.WriteAllText(tables.Raters, raters.ToString());
        File.WriteAllText(tables.Long, longTable.ToString());
        return tables;
    }

    private static double Median(int runs, Func<double> seconds)
    {
        seconds();
        var times = Enumerable.Range(0, runs).Select(_ => seconds()).Order().ToList();
        return times[times.Count / 2];
    }

    /// <summary>Runs a command to its end and returns its wall time; a failing command stops the bench, naming it.</summary>
    private static double Start(string program, params string[] arguments)
    {
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        var elapsed = clock.Elapsed.TotalSeconds;
        _ = output.Result;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)}: exit {process.ExitCode}: {error}");
        }
        return elapsed;
    }

    private static void Row(string what, double seconds, string detail) => Console.WriteLine($"| {what} | {seconds:F3} s | {detail} |");

    private static string Publish()
    {
        var destination = Path.Combine(Path.GetTempPath(), "readerstudy-bench-cli");
        Start("bash", "-c", $"cd '{Repository}' && source deploy/lib/prerequisites.sh && source deploy/lib/cli.sh && publish_cli '{destination}'");
        return Path.Combine(destination, "readerstudy");
    }
}
