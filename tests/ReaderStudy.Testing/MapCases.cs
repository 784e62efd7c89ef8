using Microsoft.Extensions.DependencyInjection;
using ReaderStudy.Core.Reading;
using ReaderStudy.Core.Series;
using ReaderStudy.Core.Storage;
using ReaderStudy.Imaging.Dicom;
using ReaderStudy.Imaging.Import;

namespace ReaderStudy.Testing;

/// <summary>
/// Reading cases whose real and synthetic maps are real DICOM series in the portal's store, written the way the
/// portal writes its own maps (16-bit values with a series-wide rescale slope), from values a test chooses.
/// </summary>
public static class MapCases
{
    /// <summary>A knee-like map pair: a cartilage band of T2 about 40 ms with independent noise in each map, 0 elsewhere.</summary>
    public static (float[] Real, float[] Synthetic) Knee(int seed, int size = 8, int slices = 1)
    {
        var random = new Random(seed);
        float[] Map()
        {
            var values = new float[size * size * slices];
            for (var i = 0; i < values.Length; i++)
            {
                var row = i / size % size;
                values[i] = row >= size / 4 && row < size * 3 / 4 ? (float)(40 + 8 * Gaussian(random)) : 0;
            }
            return values;
        }
        return (Map(), Map());
    }

    /// <summary>
    /// 16x16x2 maps that differ as a fitted and a generated one do when stored: the real one clipped at 100 ms with
    /// unreliable voxels 0, the synthetic one unclipped (fluid up to 700 ms) with low background noise.
    /// </summary>
    public static (float[] Real, float[] Synthetic) FittedAndGenerated(int seed)
    {
        var random = new Random(seed);
        var (real, synthetic) = (new float[16 * 16 * 2], new float[16 * 16 * 2]);
        for (var i = 0; i < real.Length; i++)
        {
            var row = i / 16 % 16;
            (real[i], synthetic[i]) = row switch
            {
                >= 4 and < 11 => (random.NextDouble() < 0.05 ? 0 : (float)(35 + 10 * random.NextDouble()), (float)(35 + 10 * random.NextDouble())),
                >= 11 and < 13 => (100f, (float)(150 + 550 * random.NextDouble())),
                _ => (0f, (float)(3 * random.NextDouble())),
            };
        }
        return (real, synthetic);
    }

    public static async Task<ReadingCase> AddAsync(PortalFactory portal, Guid studyId, int number, float[] real, float[] synthetic, int size = 8, int slices = 1)
    {
        using var scope = portal.Services.CreateScope();
        var store = scope.ServiceProvider.GetRequiredService<IImageStore>();
        await using var db = portal.NewDbContext();
        var subject = new Subject { StudyId = studyId, Pseudonym = $"T-{Guid.NewGuid():N}"[..10], PatientKey = Guid.NewGuid().ToString("N"), CreatedAt = DateTimeOffset.UtcNow };
        db.Subjects.Add(subject);
        await db.SaveChangesAsync();
        var importer = new StudyImporter(db, store, TimeProvider.System);
        var work = Directory.CreateTempSubdirectory("readerstudy-mapcase-").FullName;
        try
        {
            var geometry = VolumeGeometry.Sagittal(size, slices, 0.5, 3);
            var frame = DicomUids.New();
            async Task<ImagingSeries> Store(string name, float[] values, MapOrigin origin, int seriesNumber)
            {
                var info = new SeriesInfo
                {
                    PatientName = subject.Pseudonym, PatientId = subject.Pseudonym, StudyInstanceUid = DicomUids.New(), SeriesInstanceUid = DicomUids.New(),
                    FrameOfReferenceUid = frame, SeriesNumber = seriesNumber, SeriesDescription = $"T2 map ({name})", ImageType = "DERIVED\\SECONDARY\\T2 MAP",
                    Units = "ms", QuantityLabel = "T2",
                };
                DicomSeriesWriter.Write(Path.Combine(work, name), info, geometry, values);
                return await importer.ImportDerivedAsync(studyId, subject.Id, Path.Combine(work, name), SeriesKind.T2Map, "test map", origin);
            }
            var realSeries = await Store("real", real, MapOrigin.Real, 101);
            var syntheticSeries = await Store("synthetic", synthetic, MapOrigin.Synthetic, 201);
            var readingCase = new ReadingCase { StudyId = studyId, SubjectId = subject.Id, RealSeriesId = realSeries.Id, SyntheticSeriesId = syntheticSeries.Id, Number = number };
            db.Cases.Add(readingCase);
            await db.SaveChangesAsync();
            return readingCase;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
