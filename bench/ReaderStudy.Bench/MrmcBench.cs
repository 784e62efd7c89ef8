using System.Diagnostics;
using System.Globalization;
using System.Text;
using ReaderStudy.Core.Statistics;
using ReaderStudy.Core.Statistics.Comparison;

namespace ReaderStudy.Bench;

/// <summary>`stats mrmc` on a 10-reader × 2-modality × 500-case table (target: under 1 s), in process and as the command.</summary>
internal static class MrmcBench
{
    public static void Run(int readers = 10, int cases = 500)
    {
        var random = new Random(20261202);
        var csv = new StringBuilder("reader,modality,case,truth,rating\n");
        for (var c = 0; c < cases; c++)
        {
            var truth = c % 2;
            for (var r = 0; r < readers; r++)
            {
                foreach (var modality in new[] { "real", "synthetic" })
                {
                    // A 0-100 confidence scale: positives rated higher on average, many ties, as readers give them.
                    var rating = Math.Clamp(Math.Round(50 + (truth == 1 ? 18 : -18) + 25 * Gaussian(random)), 0, 100);
                    csv.Append(CultureInfo.InvariantCulture, $"r{r},{modality},c{c:0000},{truth},{rating}\n");
                }
            }
        }
        var path = Path.Combine(Path.GetTempPath(), $"readerstudy-mrmc-bench-{Environment.ProcessId}.csv");
        File.WriteAllText(path, csv.ToString());
        try
        {
            MrmcComparison? result = null;
            var (seconds, allocated) = Measure.Time(5, () =>
            {
                result = ObuchowskiRockette.Compare(MrmcReadings.From(MrmcReadings.Rows(SubjectTable.Read(path))));
            });
            Measure.Row($"stats mrmc in process: read CSV + OR/Hillis, {readers} readers x 2 modalities x {cases} cases", seconds,
                $"{allocated:F0} MB allocated per run; difference {result!.RandomReadersRandomCases.Difference:F4}, p {result.RandomReadersRandomCases.P:F3}");
            var cli = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "src", "ReaderStudy.Cli", "bin", "Release", "net10.0", "readerstudy.dll");
            if (File.Exists(cli))
            {
                var (command, _) = Measure.Time(3, () =>
                {
                    using var process = Process.Start(new ProcessStartInfo("dotnet", [cli, "stats", "mrmc", "--csv", path]) { RedirectStandardOutput = true })!;
                    process.StandardOutput.ReadToEnd();
                    process.WaitForExit();
                });
                Measure.Row("readerstudy stats mrmc, the whole command (process start included)", command, $"{readers * 2 * cases} readings");
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
