using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using ReaderStudy.Core.Data;
using ReaderStudy.Core.Series;
using ReaderStudy.Core.Storage;
using ReaderStudy.Core.T2Mapping;
using ReaderStudy.Imaging.Dicom;
using ReaderStudy.Imaging.Import;
using ReaderStudy.Imaging.T2Mapping;
using ReaderStudy.Web.Features.Studies;

namespace ReaderStudy.Web.Features.T2Fitting;

/// <summary>Fits a real T2 map to a stored MESE series and stores it as a new series of the same subject.</summary>
public sealed class T2MapService(IDbContextFactory<ReaderStudyDbContext> dbFactory, IImageStore store, TimeProvider clock)
{
    /// <param name="mark">Added to the map's kind rule: a batch's mark, by which it counts its maps.</param>
    public async Task<T2FitOutcome> FitAsync(Guid studyId, Guid meseSeriesId, T2FitRequest request, IProgress<string>? progress = null, string? mark = null,
        CancellationToken cancellationToken = default)
    {
        var clockwatch = Stopwatch.StartNew();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var series = await db.Series.Include(s => s.Images).SingleOrDefaultAsync(s => s.StudyId == studyId && s.Id == meseSeriesId, cancellationToken)
            ?? throw new StudyRuleException("No such series in this study.");
        if (series.Kind != SeriesKind.Mese)
        {
            throw new StudyRuleException($"Series {series.SeriesNumber} ('{series.Description}') is classified {series.Kind}, not MESE; a T2 map is fitted to a MESE echo train.");
        }
        progress?.Report("Reading the echo train");
        var images = new List<DicomImage>();
        foreach (var image in series.Images)
        {
            images.Add(DicomReader.Read(await store.GetLocalPathAsync(image.ContentHash, cancellationToken)));
        }
        var work = Directory.CreateTempSubdirectory("readerstudy-fit-").FullName;
        try
        {
            var mese = MeseSeries.FromImages(images);
            var options = new T2FitOptions { Method = request.Method, ExcludeFirstEcho = request.ExcludeFirstEcho, ClipMin = request.ClipMin, ClipMax = request.ClipMax };
            progress?.Report("Fitting");
            var maps = await Task.Run(() => T2Fitter.Fit(mese.Train, options), cancellationToken);
            progress?.Report("Writing the T2 map");
            var written = T2MapWriter.Write(work, mese, maps, options);
            progress?.Report("Storing the T2 map");
            var method = request.Method == T2FitMethod.LogLinear ? "weighted log-linear" : "Levenberg-Marquardt";
            var t2 = await new StudyImporter(db, store, clock).ImportDerivedAsync(studyId, series.SubjectId, written.Folder, SeriesKind.T2Map,
                $"fitted from MESE series {series.SeriesNumber} ({method}{(request.ExcludeFirstEcho ? ", first echo excluded" : "")}){(mark is null ? "" : $" {mark}")}", MapOrigin.Real, cancellationToken);
            // Beside the map: which of its 0 ms voxels are background and which unreliable fits, for the coordinator's overlay.
            var geometry = mese.FirstEcho.Geometry;
            db.T2FitReliabilities.Add(T2FitReliability.Of(t2.Id, maps, geometry.Rows, geometry.Columns, [.. mese.FirstEcho.Slices.Select(s => s.SlicePosition())]));
            await db.SaveChangesAsync(cancellationToken);
            var mean = await MeanInFemoralCartilageAsync(db, series.SubjectId, mese, maps, cancellationToken);
            return new T2FitOutcome(t2.Id, maps.VoxelsFitted, maps.Unreliable, maps.Background, mean, maps.Elapsed.TotalSeconds, clockwatch.Elapsed.TotalSeconds);
        }
        catch (T2FitException e)
        {
            throw new StudyRuleException(e.Message);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    // Where the subject has a cartilage segmentation, report the mean T2 in its first segment (femoral cartilage).
    private async Task<double?> MeanInFemoralCartilageAsync(ReaderStudyDbContext db, Guid subjectId, MeseSeries mese, T2Maps maps, CancellationToken cancellationToken)
    {
        var segmentation = await db.Series.Include(s => s.Images).AsNoTracking()
            .FirstOrDefaultAsync(s => s.SubjectId == subjectId && s.Kind == SeriesKind.Segmentation, cancellationToken);
        if (segmentation is null || segmentation.Images.Count == 0)
        {
            return null;
        }
        var seg = DicomSegmentation.Read(await store.GetLocalPathAsync(segmentation.Images[0].ContentHash, cancellationToken));
        if (seg.Rows != mese.FirstEcho.Geometry.Rows || seg.Columns != mese.FirstEcho.Geometry.Columns || seg.Segments.Count == 0)
        {
            return null;
        }
        var mask = seg.MaskFor(seg.Segments[0].Number, [.. mese.FirstEcho.Slices.Select(s => s.SlicePosition())], mese.FirstEcho.Geometry.Normal);
        var mean = maps.MeanT2(mask);
        return double.IsFinite(mean) ? Math.Round(mean, 3) : null;
    }
}
