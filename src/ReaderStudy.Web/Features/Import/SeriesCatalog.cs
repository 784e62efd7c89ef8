using Microsoft.EntityFrameworkCore;
using ReaderStudy.Core.Data;
using ReaderStudy.Core.Series;

namespace ReaderStudy.Web.Features.Import;

/// <summary>The imported series of a study, and the coordinator's corrections to their classification.</summary>
public sealed class SeriesCatalog(IDbContextFactory<ReaderStudyDbContext> dbFactory)
{
    public async Task<IReadOnlyList<SeriesView>> ListAsync(Guid studyId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Series.AsNoTracking().Where(s => s.StudyId == studyId)
            .Join(db.Subjects, s => s.SubjectId, subject => subject.Id, (s, subject) => new { s, subject.Pseudonym })
            .ToListAsync(cancellationToken);
        return [.. rows.OrderBy(r => r.Pseudonym).ThenBy(r => r.s.SeriesNumber)
            .Select(r => new SeriesView(r.s.Id, r.Pseudonym, r.s.SeriesNumber, r.s.Description, r.s.Modality, r.s.Kind, r.s.KindRule, r.s.KindOverridden,
                r.s.ImageCount, r.s.Rows, r.s.Columns, r.s.EchoTimesMs, r.s.ImportedAt, r.s.Origin))];
    }

    public async Task<bool> SetKindAsync(Guid studyId, Guid seriesId, SeriesKind kind, string coordinator, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var series = await db.Series.SingleOrDefaultAsync(s => s.StudyId == studyId && s.Id == seriesId, cancellationToken);
        if (series is null)
        {
            return false;
        }
        series.Kind = kind;
        series.KindOverridden = true;
        series.KindRule = $"set by {coordinator}";
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }
}
