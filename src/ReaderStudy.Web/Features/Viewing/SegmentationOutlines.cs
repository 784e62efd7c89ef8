using Microsoft.EntityFrameworkCore;
using ReaderStudy.Core.Data;
using ReaderStudy.Core.Series;
using ReaderStudy.Core.Storage;
using ReaderStudy.Imaging.Dicom;

namespace ReaderStudy.Web.Features.Viewing;

/// <summary>
/// A subject's segmentation (its first SEG by series number) placed on a map's grid, one slice at a time, for the
/// viewer to draw as outlines over the map. For a reader's pair it is placed on the real map's grid, on which both
/// maps are served, so both images get the same bytes: nothing in it depends on which map is which.
/// </summary>
public sealed class SegmentationOutlines(IDbContextFactory<ReaderStudyDbContext> dbFactory, IImageStore store, SeriesVolumes volumes)
{
    /// <summary>Whether the series' subject has a segmentation on the series' grid (rows and columns) to outline over it.</summary>
    public async Task<bool> AvailableAsync(Guid studyId, Guid seriesId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var series = await db.Series.AsNoTracking().Where(s => s.StudyId == studyId && s.Id == seriesId).Select(s => new { s.SubjectId, s.Kind, s.Rows, s.Columns }).SingleOrDefaultAsync(cancellationToken);
        return series is not null && series.Kind != SeriesKind.Segmentation
            && await db.Series.AnyAsync(s => s.SubjectId == series.SubjectId && s.Kind == SeriesKind.Segmentation && s.Rows == series.Rows && s.Columns == series.Columns, cancellationToken);
    }

    /// <summary>
    /// One byte per voxel of slice <paramref name="index"/> of the series' grid: the number of the highest segment
    /// covering it, 0 where none does. Null when the subject has no segmentation, or one on another grid.
    /// </summary>
    public async Task<byte[]?> SliceAsync(Guid studyId, Guid gridSeriesId, int index, CancellationToken cancellationToken)
    {
        var grid = await volumes.DescribeAsync(studyId, gridSeriesId, 0, "", cancellationToken);
        if (grid is null || index < 0 || index >= grid.Slices)
        {
            return null;
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var subjectId = await db.Series.Where(s => s.StudyId == studyId && s.Id == gridSeriesId).Select(s => s.SubjectId).SingleAsync(cancellationToken);
        var series = await db.Series.AsNoTracking().Include(s => s.Images)
            .Where(s => s.SubjectId == subjectId && s.Kind == SeriesKind.Segmentation).OrderBy(s => s.SeriesNumber).FirstOrDefaultAsync(cancellationToken);
        if (series is null || series.Images.Count == 0)
        {
            return null;
        }
        var segmentation = DicomSegmentation.Read(await store.GetLocalPathAsync(series.Images[0].ContentHash, cancellationToken));
        if (segmentation.Rows != grid.Rows || segmentation.Columns != grid.Columns)
        {
            return null;
        }
        var normal = VolumeGeometry.NormalOf(grid.RowDirection, grid.ColumnDirection);
        var along = grid.SlicePositions.Select(p => p.Zip(normal, (a, n) => a * n).Sum()).ToList();
        return segmentation.LabelsOn(index, along, normal);
    }
}
