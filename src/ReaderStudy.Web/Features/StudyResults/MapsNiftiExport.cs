using System.IO.Compression;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ReaderStudy.Core.Data;
using ReaderStudy.Core.Series;
using ReaderStudy.Core.Storage;
using ReaderStudy.Imaging.Dicom;
using ReaderStudy.Imaging.Nifti;

namespace ReaderStudy.Web.Features.StudyResults;

/// <summary>
/// Every compared image of a study (T2 maps in ms, CT in HU, …) as NIfTI (float32 physical values, affine from the
/// DICOM geometry) in one zip, each with a JSON sidecar saying whose image it is, real or synthetic, and how it was
/// made: what statisticians and ML teams load with nibabel.
/// </summary>
public sealed class MapsNiftiExport(IDbContextFactory<ReaderStudyDbContext> dbFactory, IImageStore store)
{
    public const string FileName = "maps-nifti.zip";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public async Task<byte[]> RenderAsync(Guid studyId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var study = await db.Studies.AsNoTracking().SingleAsync(s => s.Id == studyId, cancellationToken);
        if (Retention.StudyRetention.Refusal(study) is { } released)
        {
            throw new Studies.StudyRuleException(released);
        }
        var profile = study.Profile;
        var maps = await db.Series.AsNoTracking().Include(s => s.Images)
            .Where(s => s.StudyId == studyId && s.Kind == profile.ComparedKind).ToListAsync(cancellationToken);
        var (quantity, units) = (profile.Quantity, profile.Units);
        var subjects = await db.Subjects.AsNoTracking().Where(s => s.StudyId == studyId).ToDictionaryAsync(s => s.Id, s => s.Pseudonym, cancellationToken);
        var work = Directory.CreateTempSubdirectory("readerstudy-nifti-export-").FullName;
        try
        {
            using var zipped = new MemoryStream();
            using (var zip = new ZipArchive(zipped, ZipArchiveMode.Create, leaveOpen: true))
            {
                var index = new List<Dictionary<string, object?>>();
                foreach (var map in maps.OrderBy(m => subjects.GetValueOrDefault(m.SubjectId)).ThenBy(m => m.SeriesNumber))
                {
                    var images = new List<DicomImage>();
                    foreach (var image in map.Images)
                    {
                        images.Add(DicomReader.Read(await store.GetLocalPathAsync(image.ContentHash, cancellationToken)));
                    }
                    var volume = VolumeLoader.Stack(images, $"series {map.SeriesNumber}");
                    var g = volume.Geometry;
                    var stem = $"{subjects.GetValueOrDefault(map.SubjectId, "unknown")}/{map.SeriesNumber}-{map.Origin.ToString().ToLowerInvariant()}-{quantity.ToLowerInvariant()}";
                    var path = Path.Combine(work, Guid.NewGuid().ToString("N") + ".nii.gz");
                    NiftiWriter.Write(path, [g.Columns, g.Rows, g.Slices], volume.Values, NiftiGeometry.AffineOf(g), $"{quantity} {units}".Trim());
                    await zip.CreateEntryFromFileAsync(path, stem + ".nii.gz", CompressionLevel.NoCompression, cancellationToken);
                    var sidecar = new Dictionary<string, object?>
                    {
                        ["Subject"] = subjects.GetValueOrDefault(map.SubjectId),
                        ["File"] = stem + ".nii.gz",
                        ["Quantity"] = quantity,
                        ["Units"] = units,
                        ["Origin"] = map.Origin.ToString(),
                        ["Provenance"] = map.KindRule,
                        ["SeriesNumber"] = map.SeriesNumber,
                        ["SeriesDescription"] = map.Description,
                        ["SeriesInstanceUID"] = map.SeriesInstanceUid,
                        ["StoredFilesSha256"] = map.Images.OrderBy(i => i.SlicePosition).Select(i => i.ContentHash).ToArray(),
                        ["ImportedAt"] = map.ImportedAt.ToString("O"),
                        ["Software"] = "ReaderStudy",
                    };
                    await using (var entry = await zip.CreateEntry(stem + ".json").OpenAsync(cancellationToken))
                    {
                        await JsonSerializer.SerializeAsync(entry, sidecar, Json, cancellationToken);
                    }
                    index.Add(sidecar);
                }
                await using var manifest = await zip.CreateEntry("maps.json").OpenAsync(cancellationToken);
                await JsonSerializer.SerializeAsync(manifest, index, Json, cancellationToken);
            }
            return zipped.ToArray();
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
