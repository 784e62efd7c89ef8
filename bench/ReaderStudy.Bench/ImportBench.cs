using Microsoft.EntityFrameworkCore;
using ReaderStudy.Core.Data;
using ReaderStudy.Core.Phantom;
using ReaderStudy.Core.Storage;
using ReaderStudy.Core.Studies;
using ReaderStudy.Imaging.Dicom;
using ReaderStudy.Imaging.Import;
using ReaderStudy.Imaging.Phantom;

namespace ReaderStudy.Bench;

/// <summary>The import target: 500 phantom files read, de-identified, stored and recorded (SQLite, local store).</summary>
internal static class ImportBench
{
    private const int Rounds = 5;

    private static string OrthancVersion()
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(OrthancIngest.Executable!, ["--version"]) { RedirectStandardOutput = true })!;
        var first = process.StandardOutput.ReadLine() ?? "";
        process.WaitForExit();
        return first.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
    }

    public static void Run()
    {
        var root = Directory.CreateTempSubdirectory("readerstudy-bench-import-").FullName;
        try
        {
            var phantom = Path.Combine(root, "phantom");
            var manifest = PhantomGenerator.Generate(phantom, 2, new KneePhantomOptions { Size = 256, Slices = 23, Seed = 3 });
            var files = manifest.Subjects.Sum(s => s.Series.Sum(x => x.Files));
            var runs = 0;
            // One import, timed from the files to the last series recorded, as Orthanc's ingest is timed: the database
            // and its study are made beforehand, as Orthanc is started with its own beforehand.
            double Import(DicomWorker? worker)
            {
                DicomWorker.Current = worker;
                var data = Path.Combine(root, $"run-{runs++}");
                Directory.CreateDirectory(data);
                try
                {
                    using var db = new ReaderStudyDbContext(DatabaseProvider.OptionsFor("Sqlite", DatabaseProvider.DefaultSqliteConnectionString(data)));
                    db.Database.Migrate();
                    // As the portal runs it (PrepareDatabaseAsync): write-ahead logging.
                    db.Database.ExecuteSqlRaw("PRAGMA journal_mode=WAL;");
                    var study = new Study { Name = "bench", CreatedAt = DateTimeOffset.UtcNow };
                    db.Studies.Add(study);
                    db.SaveChanges();
                    var clock = System.Diagnostics.Stopwatch.StartNew();
                    var report = new StudyImporter(db, new LocalImageStore(Path.Combine(data, "store")), TimeProvider.System)
                        .ImportAsync(study.Id, [phantom], new ImportOptions()).GetAwaiter().GetResult();
                    var seconds = clock.Elapsed.TotalSeconds;
                    if (report.Imported != manifest.Subjects.Sum(s => s.Series.Count))
                    {
                        throw new InvalidOperationException($"only {report.Imported} series imported");
                    }
                    return seconds;
                }
                finally
                {
                    DicomWorker.Current = null;
                    // As Orthanc's storage after each of its runs: a disk still writing one run's files back slows the next.
                    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                    Directory.Delete(data, recursive: true);
                }
            }
            // The anchor in the same run: Orthanc's REST ingest of the same files, a fresh Orthanc and storage each time.
            var all = Directory.GetFiles(phantom, "*.dcm", SearchOption.AllDirectories);
            var orthancRuns = 0;
            double Orthanc()
            {
                using var server = OrthancIngest.StartAsync(Path.Combine(root, $"orthanc-{orthancRuns++}")).GetAwaiter().GetResult();
                var clock = System.Diagnostics.Stopwatch.StartNew();
                var stored = server.IngestAsync(all).GetAwaiter().GetResult();
                if (stored != all.Length)
                {
                    throw new InvalidOperationException($"Orthanc stored {stored} of {all.Length} files");
                }
                return clock.Elapsed.TotalSeconds;
            }
            // As the portal imports an upload: decoded first in worker processes (the portal's own binary), never in its own.
            var workers = DicomWorker.ForAssembly(typeof(Web.Features.Import.StudyImports).Assembly.Location, DicomWorker.Verb);
            // The three in turn, round after round, so that a busy spell of this shared machine weighs on all alike (one
            // block after the other, the ratio drifted with the load); the ratio is the median of the rounds' ratios.
            List<Func<double>> contenders = [() => Import(null), () => Import(workers)];
            if (OrthancIngest.Executable is not null)
            {
                contenders.Add(Orthanc);
            }
            foreach (var contender in contenders)
            {
                contender();
            }
            var times = contenders.Select(_ => new List<double>()).ToArray();
            for (var round = 0; round < Rounds; round++)
            {
                for (var c = 0; c < contenders.Count; c++)
                {
                    times[c].Add(contenders[c]());
                }
            }
            double Median(IEnumerable<double> values) => values.Order().ElementAt(Rounds / 2);
            var (inProcess, isolated) = (Median(times[0]), Median(times[1]));
            Console.WriteLine("| what | median | detail |");
            Console.WriteLine("|---|---|---|");
            Measure.Row($"import of {files} phantom files (256x256), SQLite + local store, decoded in this process", inProcess, $"{files / inProcess:F0} files/s");
            Measure.Row($"the same, decoded first in isolated worker processes, as the portal and the command line import an upload", isolated, $"{files / isolated:F0} files/s");
            if (contenders.Count == 3)
            {
                var orthanc = Median(times[2]);
                Measure.Row($"Orthanc {OrthancVersion()} REST ingest of the same {all.Length} files (POST /instances, {Environment.ProcessorCount} at once)", orthanc,
                    $"{all.Length / orthanc:F0} files/s; ours is **{Median(times[2].Zip(times[0], (o, i) => o / i)):F2}×** as fast in process, "
                    + $"**{Median(times[2].Zip(times[1], (o, i) => o / i)):F2}×** isolated (medians of {Rounds} rounds' ratios)");
            }
            // What an import holds while it runs: the scan of every file, headers only (as the importer scans) or with pixels.
            foreach (var keepPixels in new[] { false, true })
            {
                var before = GC.GetTotalMemory(forceFullCollection: true);
                var scan = DicomScanner.Scan([phantom], keepPixels: keepPixels);
                var held = (GC.GetTotalMemory(forceFullCollection: true) - before) / (double)(1 << 20);
                Console.WriteLine($"| scan of {scan.Images.Count} files held in memory, {(keepPixels ? "with pixels" : "headers only (the importer)")} | – | {held:F1} MB |");
                GC.KeepAlive(scan);
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
