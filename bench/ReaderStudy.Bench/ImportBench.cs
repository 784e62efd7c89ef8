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
    private static double lastIngest;

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
            double Import(DicomWorker? worker)
            {
                DicomWorker.Current = worker;
                return Measure.Time(3, () =>
                {
                    var data = Path.Combine(root, $"run-{runs++}");
                    Directory.CreateDirectory(data);
                    using var db = new ReaderStudyDbContext(DatabaseProvider.OptionsFor("Sqlite", DatabaseProvider.DefaultSqliteConnectionString(data)));
                    db.Database.Migrate();
                    var study = new Study { Name = "bench", CreatedAt = DateTimeOffset.UtcNow };
                    db.Studies.Add(study);
                    db.SaveChanges();
                    var report = new StudyImporter(db, new LocalImageStore(Path.Combine(data, "store")), TimeProvider.System)
                        .ImportAsync(study.Id, [phantom], new ImportOptions()).GetAwaiter().GetResult();
                    if (report.Imported != manifest.Subjects.Sum(s => s.Series.Count))
                    {
                        throw new InvalidOperationException($"only {report.Imported} series imported");
                    }
                }).MedianSeconds;
            }
            var seconds = Import(null);
            // As the portal imports an upload: decoded first in worker processes (the portal's own binary), never in its own.
            var isolated = Import(DicomWorker.ForAssembly(typeof(Web.Features.Import.StudyImports).Assembly.Location, DicomWorker.Verb));
            DicomWorker.Current = null;
            Console.WriteLine("| what | median | detail |");
            Console.WriteLine("|---|---|---|");
            Measure.Row($"import of {files} phantom files (256x256), SQLite + local store, decoded in this process", seconds, $"{files / seconds:F0} files/s");
            Measure.Row($"the same, decoded first in isolated worker processes, as the portal and the command line import an upload", isolated, $"{files / isolated:F0} files/s");
            if (OrthancIngest.Executable is not null)
            {
                // The anchor in the same run: Orthanc's REST ingest of the same files, a fresh Orthanc and storage each time.
                var all = Directory.GetFiles(phantom, "*.dcm", SearchOption.AllDirectories);
                var orthancRuns = 0;
                var orthanc = Measure.Time(3, () =>
                {
                    using var server = OrthancIngest.StartAsync(Path.Combine(root, $"orthanc-{orthancRuns++}")).GetAwaiter().GetResult();
                    var clock = System.Diagnostics.Stopwatch.StartNew();
                    var stored = server.IngestAsync(all).GetAwaiter().GetResult();
                    if (stored != all.Length)
                    {
                        throw new InvalidOperationException($"Orthanc stored {stored} of {all.Length} files");
                    }
                    lastIngest = clock.Elapsed.TotalSeconds;
                }, () => lastIngest);
                Measure.Row($"Orthanc {OrthancVersion()} REST ingest of the same {all.Length} files (POST /instances, {Environment.ProcessorCount} at once)", orthanc.MedianSeconds,
                    $"{all.Length / orthanc.MedianSeconds:F0} files/s; ours is **{orthanc.MedianSeconds / seconds:F2}×** as fast in process, **{orthanc.MedianSeconds / isolated:F2}×** isolated");
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
