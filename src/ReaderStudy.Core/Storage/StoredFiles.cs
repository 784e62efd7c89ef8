using Microsoft.EntityFrameworkCore;
using ReaderStudy.Core.Data;

namespace ReaderStudy.Core.Storage;

/// <summary>Which stored files the portal still needs: the one answer that backup, restore, store collection and retention share.</summary>
public static class StoredFiles
{
    /// <summary>
    /// Every file a series image (or its kept original) or a generator refers to, except the images of studies
    /// whose images the retention setting has removed.
    /// </summary>
    public static async Task<HashSet<string>> ReferencedAsync(ReaderStudyDbContext db, CancellationToken cancellationToken)
    {
        var kept = from image in db.SeriesImages
                   join series in db.Series on image.SeriesId equals series.Id
                   join study in db.Studies on series.StudyId equals study.Id
                   where study.ImagesReleasedAt == null
                   select image;
        var files = new HashSet<string>(await kept.Select(i => i.ContentHash).Distinct().ToListAsync(cancellationToken), StringComparer.Ordinal);
        files.UnionWith(await kept.Where(i => i.OriginalHash != null).Select(i => i.OriginalHash!).Distinct().ToListAsync(cancellationToken));
        files.UnionWith(await db.Generators.Select(g => g.Sha256).ToListAsync(cancellationToken));
        return files;
    }

    /// <summary>The files of one study's images (originals included).</summary>
    public static async Task<HashSet<string>> OfStudyAsync(ReaderStudyDbContext db, Guid studyId, CancellationToken cancellationToken)
    {
        var images = db.SeriesImages.Where(i => db.Series.Any(s => s.Id == i.SeriesId && s.StudyId == studyId));
        var files = new HashSet<string>(await images.Select(i => i.ContentHash).Distinct().ToListAsync(cancellationToken), StringComparer.Ordinal);
        files.UnionWith(await images.Where(i => i.OriginalHash != null).Select(i => i.OriginalHash!).Distinct().ToListAsync(cancellationToken));
        return files;
    }
}
