using Microsoft.EntityFrameworkCore;
using ReaderStudy.Core.Data;

namespace ReaderStudy.Web.Features.T2Fitting;

/// <summary>
/// The coordinator's overlay of a fitted map's unreliable voxels, slice by slice (one <see cref="Core.T2Mapping.VoxelFit"/>
/// byte per voxel). Served only through the coordinator's series view: a reader's pair never carries it.
/// </summary>
public sealed class UnreliableVoxels(IDbContextFactory<ReaderStudyDbContext> dbFactory)
{
    public async Task<bool> AvailableAsync(Guid studyId, Guid seriesId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.T2FitReliabilities.AnyAsync(r => r.SeriesId == seriesId && db.Series.Any(s => s.Id == seriesId && s.StudyId == studyId), cancellationToken);
    }

    public async Task<byte[]?> SliceAsync(Guid studyId, Guid seriesId, int index, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await Retention.StudyRetention.EnsureImagesKeptAsync(db, studyId, cancellationToken);
        var reliability = await db.T2FitReliabilities.AsNoTracking()
            .SingleOrDefaultAsync(r => r.SeriesId == seriesId && db.Series.Any(s => s.Id == seriesId && s.StudyId == studyId), cancellationToken);
        return reliability?.Slice(index);
    }
}
