using Microsoft.EntityFrameworkCore;
using ReaderStudy.Core.Data;
using ReaderStudy.Core.Series;
using ReaderStudy.Core.Studies;
using ReaderStudy.Web.Features.Viewing;

namespace ReaderStudy.Web.Features.Reading;

/// <summary>
/// The context pane of a reader's case: the subject's anatomic series that the study names (SAG DESS, say), served as
/// stored. It is one pane beside both images of the pair, the same whichever image is real, so it adds nothing
/// that tells them apart; it is only ever found through the reader's own trial in an open study.
/// </summary>
public sealed class ReadingContext(IDbContextFactory<ReaderStudyDbContext> dbFactory, SeriesVolumes volumes)
{
    public sealed record ContextSeries(Guid StudyId, Guid SeriesId, string Description);

    /// <summary>The trial's context series, if the trial is this reader's, its study open and showing one, and its subject has it.</summary>
    public static async Task<ContextSeries?> FindAsync(ReaderStudyDbContext db, string readerId, Guid trialId, CancellationToken cancellationToken)
    {
        var hit = await (from t in db.Trials
                         join c in db.Cases on t.CaseId equals c.Id
                         join s in db.Studies on t.StudyId equals s.Id
                         where t.Id == trialId && t.ReaderId == readerId && s.State == StudyState.Open && s.ContextSeries != ""
                         select new { StudyId = s.Id, c.SubjectId, s.ContextSeries }).SingleOrDefaultAsync(cancellationToken);
        if (hit is null)
        {
            return null;
        }
        var series = await db.Series.AsNoTracking()
            .Where(x => x.SubjectId == hit.SubjectId && x.Kind == SeriesKind.Anatomic && x.Description == hit.ContextSeries)
            .OrderBy(x => x.SeriesNumber).Select(x => (Guid?)x.Id).FirstOrDefaultAsync(cancellationToken);
        return series is null ? null : new ContextSeries(hit.StudyId, series.Value, hit.ContextSeries);
    }

    public static string VolumeUrl(Guid trialId) => $"/api/reading/trials/{trialId}/context/volume";

    public async Task<VolumeDescription?> DescribeAsync(string readerId, Guid trialId, CancellationToken cancellationToken)
    {
        var context = await FindAsync(readerId, trialId, cancellationToken);
        return context is null ? null : await volumes.DescribeAsync(context.StudyId, context.SeriesId, 0, $"/api/reading/trials/{trialId}/context/slices/{{index}}", cancellationToken);
    }

    public async Task<byte[]?> SliceAsync(string readerId, Guid trialId, int index, CancellationToken cancellationToken)
    {
        var context = await FindAsync(readerId, trialId, cancellationToken);
        return context is null ? null : await volumes.SliceAsync(context.StudyId, context.SeriesId, 0, index, cancellationToken);
    }

    private async Task<ContextSeries?> FindAsync(string readerId, Guid trialId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await FindAsync(db, readerId, trialId, cancellationToken);
    }
}
