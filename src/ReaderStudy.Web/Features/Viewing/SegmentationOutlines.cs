using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
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
public sealed class SegmentationOutlines(IDbContextFactory<ReaderStudyDbContext> dbFactory, IImageStore store, SeriesVolumes volumes, OutlinePlacements placements)
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
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var grid = await db.Series.AsNoTracking().Where(s => s.StudyId == studyId && s.Id == gridSeriesId).Select(s => new { s.SubjectId, s.Rows, s.Columns }).SingleOrDefaultAsync(cancellationToken);
        if (grid is null)
        {
            return null;
        }
        await Retention.StudyRetention.EnsureImagesKeptAsync(db, studyId, cancellationToken);
        var segmentation = await db.Series.AsNoTracking().Where(s => s.SubjectId == grid.SubjectId && s.Kind == SeriesKind.Segmentation)
            .OrderBy(s => s.SeriesNumber).Select(s => s.Images.Select(i => i.ContentHash).FirstOrDefault()).FirstOrDefaultAsync(cancellationToken);
        if (segmentation is null)
        {
            return null;
        }
        // Stored files never change (addressed by their hash), so the grid's series and the SEG's hash name the placement.
        var slices = await placements.GetOrPlaceAsync(gridSeriesId, segmentation, () => PlaceAsync(studyId, gridSeriesId, segmentation, CancellationToken.None));
        return slices is null || index < 0 || index >= slices.Length ? null : slices[index] ?? new byte[grid.Rows * grid.Columns];
    }

    // Every slice at once: the map's files and the SEG are read once for all the slices a reader scrolls through.
    private async Task<byte[]?[]?> PlaceAsync(Guid studyId, Guid gridSeriesId, string segmentationHash, CancellationToken cancellationToken)
    {
        var grid = await volumes.DescribeAsync(studyId, gridSeriesId, 0, "", cancellationToken);
        var segmentation = DicomSegmentation.Read(await store.GetLocalPathAsync(segmentationHash, cancellationToken));
        if (grid is null || segmentation.Rows != grid.Rows || segmentation.Columns != grid.Columns)
        {
            return null;
        }
        var normal = VolumeGeometry.NormalOf(grid.RowDirection, grid.ColumnDirection);
        return segmentation.LabelsOnEachSlice([.. grid.SlicePositions.Select(p => p.Zip(normal, (a, n) => a * n).Sum())], normal);
    }
}

/// <summary>
/// Segmentations placed on grids, kept in memory for a while (bounded by their bytes): a reader scrolls slice by slice,
/// and both images of a pair ask for the same slice at once, so one placement serves them all.
/// </summary>
public sealed class OutlinePlacements : IDisposable
{
    private readonly MemoryCache cache = new(new MemoryCacheOptions { SizeLimit = 256L << 20 });
    private readonly ConcurrentDictionary<(Guid, string), Lazy<Task<byte[]?[]?>>> placing = new();
    private int placed;

    /// <summary>How many placements were made (not served from memory).</summary>
    public int Placed => placed;

    public async Task<byte[]?[]?> GetOrPlaceAsync(Guid gridSeriesId, string segmentationHash, Func<Task<byte[]?[]?>> place)
    {
        var key = (gridSeriesId, segmentationHash);
        if (cache.TryGetValue(key, out byte[]?[]? slices))
        {
            return slices;
        }
        var once = placing.GetOrAdd(key, _ => new Lazy<Task<byte[]?[]?>>(async () =>
        {
            Interlocked.Increment(ref placed);
            return await place();
        }));
        try
        {
            slices = await once.Value;
            cache.Set(key, slices, new MemoryCacheEntryOptions
            {
                Size = 1024 + (slices?.Sum(s => (long?)s?.Length ?? 0) ?? 0),
                SlidingExpiration = TimeSpan.FromMinutes(10),
            });
            return slices;
        }
        finally
        {
            placing.TryRemove(new KeyValuePair<(Guid, string), Lazy<Task<byte[]?[]?>>>(key, once));
        }
    }

    public void Dispose() => cache.Dispose();
}
