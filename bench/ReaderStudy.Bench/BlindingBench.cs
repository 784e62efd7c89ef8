using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ReaderStudy.Core.Accounts;
using ReaderStudy.Core.Data;
using ReaderStudy.Core.Reading;
using ReaderStudy.Core.Series;
using ReaderStudy.Core.Storage;
using ReaderStudy.Core.Studies;
using ReaderStudy.Imaging.Dicom;
using ReaderStudy.Imaging.Import;
using ReaderStudy.Web.Features.Reading;
using ReaderStudy.Web.Features.Viewing;

namespace ReaderStudy.Bench;

/// <summary>
/// The blinding check's target: 500 trials (50 cases read by 10 readers) with 256x256 maps of 30 slices, every
/// slice of both maps read from DICOM, presented and measured as the portal does (SQLite, local store).
/// </summary>
internal static class BlindingBench
{
    public static void Run(int cases = 50, int readers = 10, int size = 256, int slices = 30)
    {
        var root = Directory.CreateTempSubdirectory("readerstudy-bench-blinding-").FullName;
        try
        {
            var options = DatabaseProvider.OptionsFor("Sqlite", DatabaseProvider.DefaultSqliteConnectionString(root));
            var factory = new ContextFactory(options);
            using (var db = factory.CreateDbContext())
            {
                db.Database.Migrate();
            }
            var store = new LocalImageStore(Path.Combine(root, "store"));
            var study = Seed(factory, store, root, cases, readers, size, slices);
            var volumes = new SeriesVolumes(factory, store);
            var check = new BlindingCheck(factory, new ReadingImages(factory, volumes, new ImageNormalization(), new SegmentationOutlines(factory, store, volumes, new OutlinePlacements()), Options.Create(new ReadingSettings())));
            BlindingReport? report = null;
            var (seconds, allocated) = Measure.Time(3, () => report = check.CheckAsync(study).GetAwaiter().GetResult());
            Console.WriteLine("| what | median | detail |");
            Console.WriteLine("|---|---|---|");
            Measure.Row($"blinding check, {report!.TrialsChecked} trials ({cases} cases x {readers} readers), {size}x{size}x{slices} maps", seconds,
                $"{cases * 2 * slices} slices read, presented and measured; {allocated:F0} MB allocated per check; verdict: {(report.Passed ? "passed" : string.Join("; ", report.Leaks.Take(2)))}");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static Guid Seed(IDbContextFactory<ReaderStudyDbContext> factory, IImageStore store, string root, int cases, int readers, int size, int slices)
    {
        using var db = factory.CreateDbContext();
        var study = new Study { Name = "bench", CreatedAt = DateTimeOffset.UtcNow };
        db.Studies.Add(study);
        db.Questions.Add(new Question { StudyId = study.Id, Order = 1, Kind = QuestionKind.WhichIsReal, Text = "Which is real?" });
        for (var r = 0; r < readers; r++)
        {
            var user = new PortalUser { UserName = $"reader{r}@bench", Email = $"reader{r}@bench" };
            db.Users.Add(user);
            study.Members.Add(new StudyMember { UserId = user.Id, Role = PortalRoles.Reader, AddedAt = DateTimeOffset.UtcNow });
        }
        db.SaveChanges();
        var importer = new StudyImporter(db, store, TimeProvider.System);
        var geometry = VolumeGeometry.Sagittal(size, slices, 0.4, 3);
        for (var c = 1; c <= cases; c++)
        {
            var subject = new Subject { StudyId = study.Id, Pseudonym = $"B-{c:D3}", PatientKey = $"{c}", CreatedAt = DateTimeOffset.UtcNow };
            db.Subjects.Add(subject);
            db.SaveChanges();
            var random = new Random(c);
            var ids = new List<Guid>();
            foreach (var (name, origin) in new[] { ("real", MapOrigin.Real), ("synthetic", MapOrigin.Synthetic) })
            {
                var values = new float[size * size * slices];
                for (var i = 0; i < values.Length; i++)
                {
                    var row = i / size % size;
                    values[i] = row > size / 3 && row < size / 2 ? (float)(30 + 20 * random.NextDouble()) : 0;
                }
                var folder = Path.Combine(root, "maps", $"{c}-{name}");
                DicomSeriesWriter.Write(folder, new SeriesInfo
                {
                    PatientName = subject.Pseudonym, PatientId = subject.Pseudonym, StudyInstanceUid = DicomUids.New(), SeriesInstanceUid = DicomUids.New(),
                    FrameOfReferenceUid = DicomUids.New(), SeriesNumber = origin == MapOrigin.Real ? 101 : 201, SeriesDescription = $"T2 map ({name})",
                    ImageType = "DERIVED\\SECONDARY\\T2 MAP", Units = "ms", QuantityLabel = "T2",
                }, geometry, values);
                ids.Add(importer.ImportDerivedAsync(study.Id, subject.Id, folder, SeriesKind.T2Map, "bench", origin).GetAwaiter().GetResult().Id);
                Directory.Delete(folder, recursive: true);
            }
            db.Cases.Add(new ReadingCase { StudyId = study.Id, SubjectId = subject.Id, RealSeriesId = ids[0], SyntheticSeriesId = ids[1], Number = c });
            db.SaveChanges();
        }
        return study.Id;
    }

    internal sealed class ContextFactory(DbContextOptions<ReaderStudyDbContext> options) : IDbContextFactory<ReaderStudyDbContext>
    {
        public ReaderStudyDbContext CreateDbContext() => new(options);
    }
}
