using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ReaderStudy.Core.Data;
using ReaderStudy.Core.Storage;
using ReaderStudy.Core.Studies;
using ReaderStudy.Web.Features.StudyResults;
using ReaderStudy.Web.Features.Studies;

namespace ReaderStudy.Web.Features.Retention;

/// <summary>A closed study whose images the retention setting removes (or, in a dry run, would remove).</summary>
public sealed record ReleasedStudy(Guid Id, string Name, DateTimeOffset ClosedAt, int Images);

public sealed record RetentionReport(bool DryRun, int? Days, IReadOnlyList<ReleasedStudy> Studies, int FilesRemoved);

/// <summary>
/// Applies <see cref="RetentionOptions.ClosedStudyImagesDays"/>: for each study closed that long ago, what its
/// results take from the images is kept with the study, the study is marked released (audited), and then every
/// image file that no study still keeping its images refers to is removed. Evidence stays: answers, key, audit
/// log and results read the same afterwards. Run daily by the job queue and on demand by an administrator; running
/// it again removes what a crash between the two steps left.
/// </summary>
public sealed class StudyRetention(IDbContextFactory<ReaderStudyDbContext> dbFactory, IImageStore store, ResultsService results,
    IOptions<RetentionOptions> options, TimeProvider clock, ILogger<StudyRetention> log)
{
    public async Task<RetentionReport> ApplyAsync(bool dryRun, CancellationToken cancellationToken = default)
    {
        if (options.Value.ClosedStudyImagesDays is not { } days)
        {
            return new RetentionReport(dryRun, null, [], 0);
        }
        if (days < 0)
        {
            throw new StudyRuleException($"Retention:ClosedStudyImagesDays is {days}; it must be 0 or more days.");
        }
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // Studies closed before the portal recorded closing dates: their period counts from the first pass that sees them.
        foreach (var undated in await db.Studies.Where(s => s.State == StudyState.Closed && s.ClosedAt == null).ToListAsync(cancellationToken))
        {
            undated.ClosedAt = now;
        }
        if (!dryRun)
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        var due = (await db.Studies.Where(s => s.State == StudyState.Closed && s.ImagesReleasedAt == null).ToListAsync(cancellationToken))
            .Where(s => s.ClosedAt!.Value.AddDays(days) <= now).OrderBy(s => s.ClosedAt).ToList();
        var released = new List<ReleasedStudy>();
        foreach (var study in due)
        {
            var files = await StoredFiles.OfStudyAsync(db, study.Id, cancellationToken);
            released.Add(new ReleasedStudy(study.Id, study.Name, study.ClosedAt!.Value, files.Count));
            if (dryRun)
            {
                continue;
            }
            // Kept before anything is removed: the results must read the same without the images.
            var findings = await results.ImageFindingsAsync(study.Id, cancellationToken);
            study.ImageFindings = findings.ToJson();
            // The fitted maps' reliability is image data too.
            await db.T2FitReliabilities.Where(r => db.Series.Any(s => s.Id == r.SeriesId && s.StudyId == study.Id)).ExecuteDeleteAsync(cancellationToken);
            study.ImagesReleasedAt = now;
            db.Audit("retention.images-released", study.Id,
                $"closed {study.ClosedAt:yyyy-MM-dd}, {days} day(s) kept: {files.Count} image file(s) removed; answers, key and results kept");
            await db.SaveChangesAsync(cancellationToken);
        }
        if (dryRun)
        {
            return new RetentionReport(true, days, released, 0);
        }
        // Every released study's files, from this pass or an interrupted earlier one, that no kept study shares.
        var candidates = new HashSet<string>(StringComparer.Ordinal);
        foreach (var study in await db.Studies.Where(s => s.ImagesReleasedAt != null).Select(s => s.Id).ToListAsync(cancellationToken))
        {
            candidates.UnionWith(await StoredFiles.OfStudyAsync(db, study, cancellationToken));
        }
        candidates.ExceptWith(await StoredFiles.ReferencedAsync(db, cancellationToken));
        var removed = 0;
        foreach (var hash in candidates)
        {
            if (await store.ContainsAsync(hash, cancellationToken))
            {
                await store.DeleteAsync(hash, cancellationToken);
                removed++;
            }
        }
        if (released.Count > 0 || removed > 0)
        {
            log.LogInformation("Retention: images of {Studies} closed study(ies) released, {Files} file(s) removed", released.Count, removed);
        }
        return new RetentionReport(false, days, released, removed);
    }

    /// <summary>The refusal for anything that needs the pixels of a study whose images were removed; null while they are kept.</summary>
    /// <summary>Refuses, with <see cref="Refusal"/>'s words, anything that needs the pixels of a study whose images were removed.</summary>
    public static async Task EnsureImagesKeptAsync(ReaderStudyDbContext db, Guid studyId, CancellationToken cancellationToken)
    {
        if (await db.Studies.AsNoTracking().SingleOrDefaultAsync(s => s.Id == studyId, cancellationToken) is { } study && Refusal(study) is { } released)
        {
            throw new StudyRuleException(released);
        }
    }

    public static string? Refusal(Study study) => study.ImagesReleasedAt is { } when
        ? $"The images of '{study.Name}' were removed on {when:yyyy-MM-dd} under the portal's retention setting; its answers and results are kept."
        : null;
}
