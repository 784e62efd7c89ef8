using Microsoft.EntityFrameworkCore;
using ReaderStudy.Core.Data;

namespace ReaderStudy.Core.Series;

/// <summary>One map per subject and background batch, however many workers made one at the same moment.</summary>
public static class MapKeeping
{
    /// <summary>
    /// Two workers can pass a job's "no map yet" check for one subject at the same moment (a retry while an earlier
    /// job runs on another process). Each calls this after storing; whichever sees more than one map removes all but
    /// the earliest (import time, then id). The one that stored last always sees both, so exactly one stays. Not yet in
    /// any reading case, a removed map is referenced by nothing. Returns whether the caller's own map was removed.
    /// </summary>
    public static async Task<bool> KeepTheEarliestAsync(IDbContextFactory<ReaderStudyDbContext> dbFactory, Func<ReaderStudyDbContext, IQueryable<ImagingSeries>> subjectMaps, Guid mine)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var maps = await subjectMaps(db).Select(s => new { s.Id, s.ImportedAt }).ToListAsync();
        var extra = maps.OrderBy(m => m.ImportedAt).ThenBy(m => m.Id).Skip(1).Select(m => m.Id).ToList();
        // One by one: another worker may be removing the same ones, and one already gone must not undo the rest.
        foreach (var id in extra)
        {
            db.ChangeTracker.Clear();
            if (await db.Series.Include(s => s.Images).SingleOrDefaultAsync(s => s.Id == id) is not { } series)
            {
                continue;
            }
            db.Series.Remove(series);
            try
            {
                await db.SaveChangesAsync();
            }
            catch (DbUpdateConcurrencyException)
            {
                // The other worker removed it first.
            }
        }
        return extra.Contains(mine);
    }
}
