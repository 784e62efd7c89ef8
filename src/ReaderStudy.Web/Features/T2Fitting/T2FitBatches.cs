using Hangfire;
using Microsoft.EntityFrameworkCore;
using ReaderStudy.Core.Data;
using ReaderStudy.Core.Series;
using ReaderStudy.Core.Synthesis;
using ReaderStudy.Core.T2Mapping;
using ReaderStudy.Web.Features.Studies;

namespace ReaderStudy.Web.Features.T2Fitting;

/// <summary>
/// A coordinator's request to fit every subject's MESE series. By default only subjects without a real T2 map yet
/// (an imported scanner map or an earlier fit) are fitted, so re-running a batch after an import fills the gaps.
/// </summary>
public sealed record NewT2FitBatch(T2FitMethod Method = T2FitMethod.LogLinear, bool ExcludeFirstEcho = false, bool OnlySubjectsWithoutARealMap = true);

public sealed record T2FitSubjectFailure(Guid SubjectId, string Subject, string Error, DateTimeOffset FailedAt);

public sealed record T2FitBatchView(Guid Id, T2FitMethod Method, bool ExcludeFirstEcho, int Subjects, int Done, bool Cancelled, string RequestedBy,
    DateTimeOffset RequestedAt, IReadOnlyList<T2FitSubjectFailure> Failures)
{
    public bool Finished => Done == Subjects;
    /// <summary>Nothing more happens: every subject has its map or has failed (fit failures are final; see <see cref="T2FitFailure"/>).</summary>
    public bool Settled => Done + Failures.Count == Subjects;
}

/// <summary>Real T2 maps for many subjects as background jobs, one per subject, like <see cref="Synthesis.SynthesisBatches"/>.</summary>
public sealed class T2FitBatches(IDbContextFactory<ReaderStudyDbContext> dbFactory, IBackgroundJobClient jobs, TimeProvider clock)
{
    public async Task<T2FitBatchView> StartAsync(Guid studyId, NewT2FitBatch request, string requestedBy, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var withMese = await db.Series.AsNoTracking().Where(s => s.StudyId == studyId && s.Kind == SeriesKind.Mese).Select(s => s.SubjectId).Distinct().ToListAsync(cancellationToken);
        if (withMese.Count == 0)
        {
            throw new StudyRuleException("No subject of this study has a MESE series to fit a T2 map to; import the echo trains first.");
        }
        var withRealMap = request.OnlySubjectsWithoutARealMap
            ? await db.Series.AsNoTracking().Where(s => s.StudyId == studyId && s.Kind == SeriesKind.T2Map && s.Origin == MapOrigin.Real).Select(s => s.SubjectId).Distinct().ToListAsync(cancellationToken)
            : [];
        var chosen = withMese.Except(withRealMap).ToList();
        if (chosen.Count == 0)
        {
            throw new StudyRuleException($"Every subject with a MESE series ({withMese.Count}) already has a real T2 map; choose to fit them again to replace nothing but add a fitted map beside it.");
        }
        var batch = new T2FitBatch
        {
            StudyId = studyId,
            Method = request.Method,
            ExcludeFirstEcho = request.ExcludeFirstEcho,
            SubjectIds = string.Join(',', chosen),
            RequestedBy = requestedBy,
            RequestedAt = clock.GetUtcNow(),
        };
        db.T2FitBatches.Add(batch);
        await db.SaveChangesAsync(cancellationToken);
        Enqueue(batch.Id, chosen);
        return await ViewAsync(db, batch, cancellationToken);
    }

    public Task<IReadOnlyList<T2FitBatchView>> ListAsync(Guid studyId, CancellationToken cancellationToken = default) =>
        DatabaseRetry.RunAsync(async ct =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var views = new List<T2FitBatchView>();
            foreach (var batch in await db.T2FitBatches.AsNoTracking().Where(b => b.StudyId == studyId).ToListAsync(ct))
            {
                views.Add(await ViewAsync(db, batch, ct));
            }
            return (IReadOnlyList<T2FitBatchView>)[.. views.OrderByDescending(v => v.RequestedAt)];
        }, cancellationToken);

    private static async Task<T2FitBatchView> ViewAsync(ReaderStudyDbContext db, T2FitBatch batch, CancellationToken cancellationToken)
    {
        var done = await SubjectsFittedAsync(db, batch, batch.Subjects, cancellationToken);
        var failures = (await db.T2FitFailures.AsNoTracking().Where(f => f.BatchId == batch.Id)
                .Join(db.Subjects, f => f.SubjectId, s => s.Id, (f, s) => new { Failure = f, s.Pseudonym }).ToListAsync(cancellationToken))
            .Where(f => !done.Contains(f.Failure.SubjectId))
            .GroupBy(f => f.Failure.SubjectId).Select(g => g.OrderByDescending(f => f.Failure.FailedAt).First())
            .Select(f => new T2FitSubjectFailure(f.Failure.SubjectId, f.Pseudonym, f.Failure.Error, f.Failure.FailedAt))
            .OrderBy(f => f.Subject).ToList();
        return new T2FitBatchView(batch.Id, batch.Method, batch.ExcludeFirstEcho, batch.Subjects.Count, done.Count, batch.Cancelled, batch.RequestedBy, batch.RequestedAt, failures);
    }

    public Task<bool> CancelAsync(Guid studyId, Guid batchId, CancellationToken cancellationToken = default) =>
        DatabaseRetry.RunAsync(async ct =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            if (await db.T2FitBatches.SingleOrDefaultAsync(b => b.StudyId == studyId && b.Id == batchId, ct) is not { } batch)
            {
                return false;
            }
            batch.Cancelled = true;
            await db.SaveChangesAsync(ct);
            return true;
        }, cancellationToken);

    /// <summary>Queues again every subject of every unfinished batch that has neither its map nor a failure: for a job store that a restart empties.</summary>
    public async Task<int> ResumeAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var queued = 0;
        foreach (var batch in await db.T2FitBatches.AsNoTracking().Where(b => !b.Cancelled).ToListAsync(cancellationToken))
        {
            var failed = await db.T2FitFailures.Where(f => f.BatchId == batch.Id).Select(f => f.SubjectId).ToListAsync(cancellationToken);
            var missing = batch.Subjects.Except(await SubjectsFittedAsync(db, batch, batch.Subjects, cancellationToken)).Except(failed).ToList();
            Enqueue(batch.Id, missing);
            queued += missing.Count;
        }
        return queued;
    }

    /// <summary>The subjects that have a real T2 map fitted by this batch.</summary>
    internal static async Task<HashSet<Guid>> SubjectsFittedAsync(ReaderStudyDbContext db, T2FitBatch batch, IReadOnlyList<Guid> subjects, CancellationToken cancellationToken) =>
        [.. await MapsFittedBy(db, batch).Where(s => subjects.Contains(s.SubjectId)).Select(s => s.SubjectId).Distinct().ToListAsync(cancellationToken)];

    internal static IQueryable<ImagingSeries> MapsFittedBy(ReaderStudyDbContext db, T2FitBatch batch) =>
        db.Series.AsNoTracking().Where(s => s.StudyId == batch.StudyId && s.Kind == SeriesKind.T2Map && s.Origin == MapOrigin.Real && s.KindRule.Contains(batch.Mark));

    private void Enqueue(Guid batchId, IEnumerable<Guid> subjects)
    {
        foreach (var subject in subjects)
        {
            jobs.Enqueue<T2FitWorker>(w => w.FitAsync(batchId, subject, CancellationToken.None));
        }
    }
}

/// <summary>One background job: one subject's real T2 map for one batch, fitted to its MESE series.</summary>
public sealed class T2FitWorker(IDbContextFactory<ReaderStudyDbContext> dbFactory, T2MapService maps, TimeProvider clock, ILogger<T2FitWorker> logger)
{
    [AutomaticRetry(Attempts = 2)]
    public async Task FitAsync(Guid batchId, Guid subjectId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var batch = await db.T2FitBatches.AsNoTracking().SingleOrDefaultAsync(b => b.Id == batchId, cancellationToken);
        if (batch is null || batch.Cancelled || (await T2FitBatches.SubjectsFittedAsync(db, batch, [subjectId], cancellationToken)).Count > 0)
        {
            return;
        }
        // The subject's first MESE series by number: a second one (a repeat scan) is fitted on its series page.
        var mese = await db.Series.AsNoTracking().Where(s => s.SubjectId == subjectId && s.Kind == SeriesKind.Mese)
            .OrderBy(s => s.SeriesNumber).ThenBy(s => s.ImportedAt).Select(s => (Guid?)s.Id).FirstOrDefaultAsync(cancellationToken);
        try
        {
            if (mese is null)
            {
                throw new StudyRuleException("The subject has no MESE series any more.");
            }
            var outcome = await maps.FitAsync(batch.StudyId, mese.Value, new T2FitRequest(batch.Method, batch.ExcludeFirstEcho), mark: batch.Mark, cancellationToken: cancellationToken);
            await MapKeeping.KeepTheEarliestAsync(dbFactory, other => T2FitBatches.MapsFittedBy(other, batch).Where(s => s.SubjectId == subjectId), outcome.T2SeriesId);
            logger.LogInformation("Fit batch {Batch}: T2 map {Series} for subject {Subject}, {Unreliable} unreliable voxels", batchId, outcome.T2SeriesId, subjectId, outcome.Unreliable);
        }
        catch (StudyRuleException e)
        {
            // Wrong inputs (too few echoes, another kind of series): the same again would fail the same way.
            logger.LogWarning("Fit batch {Batch}: subject {Subject} failed: {Error}", batchId, subjectId, e.Message);
            await DatabaseRetry.RunAsync(async ct =>
            {
                await using var record = await dbFactory.CreateDbContextAsync(ct);
                record.T2FitFailures.Add(new T2FitFailure
                {
                    StudyId = batch.StudyId,
                    BatchId = batchId,
                    SubjectId = subjectId,
                    Error = e.Message.Length <= SynthesisFailureLimits.ErrorLength ? e.Message : e.Message[..(SynthesisFailureLimits.ErrorLength - 1)] + "…",
                    FailedAt = clock.GetUtcNow(),
                });
                await record.SaveChangesAsync(ct);
            });
        }
    }
}
