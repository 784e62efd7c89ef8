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
    public static void Run()
    {
        var root = Directory.CreateTempSubdirectory("readerstudy-bench-import-").FullName;
        try
        {
            var phantom = Path.Combine(root, "phantom");
            var manifest = PhantomGenerator.Generate(phantom, 2, new KneePhantomOptions { Size = 256, Slices = 23, Seed = 3 });
            var files = manifest.Subjects.Sum(s => s.Series.Sum(x => x.Files));
            var runs = 0;
            var (seconds, allocated) = Measure.Time(3, () =>
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
            });
            Console.WriteLine("| what | median | detail |");
            Console.WriteLine("|---|---|---|");
            Measure.Row($"import of {files} phantom files (256x256), SQLite + local store", seconds, $"{files / seconds:F0} files/s, {allocated:F0} MB allocated per import");
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
