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

    /// <summary>How a fitted map's voxels came out, as counted when it was fitted; null for a map not fitted here.</summary>
    public async Task<FitReliabilitySummary?> SummaryAsync(Guid studyId, Guid seriesId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.T2FitReliabilities.AsNoTracking()
            .Where(r => r.SeriesId == seriesId && db.Series.Any(s => s.Id == seriesId && s.StudyId == studyId))
            .Select(r => new FitReliabilitySummary(r.Rows * r.Columns * r.Slices, r.Unreliable, r.NotFitted))
            .SingleOrDefaultAsync(cancellationToken);
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

/// <param name="Voxels">Every voxel of the map.</param>
/// <param name="Unreliable">Fitted, but the decay explains too little of the signal (R² under the threshold) or T2 lay outside the clip range.</param>
/// <param name="NotFitted">Background under the noise floor, or outside the mask.</param>
public sealed record FitReliabilitySummary(int Voxels, int Unreliable, int NotFitted);
