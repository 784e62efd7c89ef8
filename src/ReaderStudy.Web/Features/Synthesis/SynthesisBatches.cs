using Hangfire;
using Microsoft.EntityFrameworkCore;
using ReaderStudy.Core.Data;
using ReaderStudy.Core.Series;
using ReaderStudy.Core.Synthesis;
using ReaderStudy.Web.Features.Studies;

namespace ReaderStudy.Web.Features.Synthesis;

public sealed record NewSynthesisBatch(Guid GeneratorId, IReadOnlyList<Guid>? SubjectIds = null);

/// <summary>Why one subject of a batch has no map yet: the last error, after which attempt, and whether it is retried on its own.</summary>
public sealed record SubjectFailure(Guid SubjectId, string Subject, string Error, int Attempt, bool Final, DateTimeOffset FailedAt);

public sealed record SynthesisBatchView(Guid Id, string Generator, int Subjects, int Done, bool Cancelled, string RequestedBy, DateTimeOffset RequestedAt,
    IReadOnlyList<SubjectFailure> Failures)
{
    public bool Finished => Done == Subjects;
    /// <summary>Subjects whose map failed for good; a coordinator's retry queues them again.</summary>
    public int Failed => Failures.Count(f => f.Final);
    /// <summary>Nothing more happens without a coordinator: every subject has its map or has failed for good.</summary>
    public bool Settled => Done + Failed == Subjects;
}

/// <summary>
/// Synthetic maps for many subjects as background jobs, one per subject. A job that finds its subject's map
/// already made by the batch's generator does nothing, so a job run twice (a retry, a restart) makes no duplicate.
/// </summary>
public sealed class SynthesisBatches(IDbContextFactory<ReaderStudyDbContext> dbFactory, IBackgroundJobClient jobs, TimeProvider clock)
{
    public async Task<SynthesisBatchView> StartAsync(Guid studyId, NewSynthesisBatch request, string requestedBy, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var generator = await db.Generators.AsNoTracking().SingleOrDefaultAsync(g => g.Id == request.GeneratorId, cancellationToken)
            ?? throw new StudyRuleException("No such generator.");
        var subjects = await db.Subjects.AsNoTracking().Where(s => s.StudyId == studyId).Select(s => s.Id).ToListAsync(cancellationToken);
        var chosen = request.SubjectIds is { Count: > 0 } ids ? ids.Distinct().ToList() : subjects;
        if (chosen.Count == 0 || chosen.Except(subjects).Any())
        {
            throw new StudyRuleException(chosen.Count == 0 ? "This study has no subjects yet." : "Some of those subjects are not in this study.");
        }
        var batch = new SynthesisBatch
        {
            StudyId = studyId,
            GeneratorId = generator.Id,
            SubjectIds = string.Join(',', chosen),
            RequestedBy = requestedBy,
            RequestedAt = clock.GetUtcNow(),
        };
        db.SynthesisBatches.Add(batch);
        await db.SaveChangesAsync(cancellationToken);
        Enqueue(batch.Id, batch.Round, chosen);
        return await ViewAsync(db, batch, generator, cancellationToken);
    }

    public Task<IReadOnlyList<SynthesisBatchView>> ListAsync(Guid studyId, CancellationToken cancellationToken = default) =>
        DatabaseRetry.RunAsync(ct => ListOnceAsync(studyId, ct), cancellationToken);

    private async Task<IReadOnlyList<SynthesisBatchView>> ListOnceAsync(Guid studyId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var batches = await db.SynthesisBatches.AsNoTracking().Where(b => b.StudyId == studyId)
            .Join(db.Generators, b => b.GeneratorId, g => g.Id, (b, g) => new { Batch = b, Generator = g }).ToListAsync(cancellationToken);
        var views = new List<SynthesisBatchView>();
        foreach (var b in batches.OrderByDescending(b => b.Batch.RequestedAt))
        {
            views.Add(await ViewAsync(db, b.Batch, b.Generator, cancellationToken));
        }
        return views;
    }

    private static async Task<SynthesisBatchView> ViewAsync(ReaderStudyDbContext db, SynthesisBatch batch, RegisteredGenerator generator, CancellationToken cancellationToken)
    {
        var done = await SubjectsWithMapsAsync(db, batch.Subjects, generator.Sha256, cancellationToken);
        var failures = (await db.SynthesisFailures.AsNoTracking().Where(f => f.BatchId == batch.Id && !f.Superseded)
                .Join(db.Subjects, f => f.SubjectId, s => s.Id, (f, s) => new { Failure = f, s.Pseudonym }).ToListAsync(cancellationToken))
            .Where(f => !done.Contains(f.Failure.SubjectId))
            .GroupBy(f => f.Failure.SubjectId)
            .Select(g => g.OrderByDescending(f => f.Failure.Attempt).First())
            .Select(f => new SubjectFailure(f.Failure.SubjectId, f.Pseudonym, f.Failure.Error, f.Failure.Attempt, f.Failure.Final, f.Failure.FailedAt))
            .OrderBy(f => f.Subject).ToList();
        return new SynthesisBatchView(batch.Id, $"{generator.Name} {generator.Version}", batch.Subjects.Count, done.Count,
            batch.Cancelled, batch.RequestedBy, batch.RequestedAt, failures);
    }

    /// <summary>Queues again every subject of the batch that has no map yet (the failed ones, and after a cancel the unstarted ones), lifting a cancel.</summary>
    public async Task<SynthesisBatchView?> RetryAsync(Guid studyId, Guid batchId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var batch = await db.SynthesisBatches.SingleOrDefaultAsync(b => b.StudyId == studyId && b.Id == batchId, cancellationToken);
        if (batch is null)
        {
            return null;
        }
        var generator = await db.Generators.AsNoTracking().SingleAsync(g => g.Id == batch.GeneratorId, cancellationToken);
        var done = await SubjectsWithMapsAsync(db, batch.Subjects, generator.Sha256, cancellationToken);
        // A new round: every subject without a map is queued again, and whatever is left of earlier rounds' jobs (a
        // cancelled batch's, an automatic retry's) does nothing when its turn comes. Only a job already past its check
        // at this moment can still finish a map; the next round's job for that subject then finds it and stops.
        var retried = batch.Subjects.Except(done).ToList();
        foreach (var failure in await db.SynthesisFailures.Where(f => f.BatchId == batchId && !f.Superseded).ToListAsync(cancellationToken))
        {
            failure.Superseded = true;
        }
        batch.Cancelled = false;
        batch.Round++;
        await db.SaveChangesAsync(cancellationToken);
        Enqueue(batch.Id, batch.Round, retried);
        return await ViewAsync(db, batch, generator, cancellationToken);
    }

    public Task<bool> CancelAsync(Guid studyId, Guid batchId, CancellationToken cancellationToken = default) =>
        DatabaseRetry.RunAsync(ct => CancelOnceAsync(studyId, batchId, ct), cancellationToken);

    private async Task<bool> CancelOnceAsync(Guid studyId, Guid batchId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var batch = await db.SynthesisBatches.SingleOrDefaultAsync(b => b.StudyId == studyId && b.Id == batchId, cancellationToken);
        if (batch is null)
        {
            return false;
        }
        batch.Cancelled = true;
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>Queues again every subject of every unfinished batch: for a job store that a restart empties.</summary>
    public async Task<int> ResumeAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var open = await db.SynthesisBatches.AsNoTracking().Where(b => !b.Cancelled)
            .Join(db.Generators, b => b.GeneratorId, g => g.Id, (b, g) => new { Batch = b, g.Sha256 }).ToListAsync(cancellationToken);
        var queued = 0;
        foreach (var b in open)
        {
            // Subjects that failed for good wait for a coordinator's retry, as they would have without the restart.
            var failed = await db.SynthesisFailures.Where(f => f.BatchId == b.Batch.Id && f.Final && !f.Superseded).Select(f => f.SubjectId).ToListAsync(cancellationToken);
            var missing = b.Batch.Subjects.Except(await SubjectsWithMapsAsync(db, b.Batch.Subjects, b.Sha256, cancellationToken)).Except(failed).ToList();
            Enqueue(b.Batch.Id, b.Batch.Round, missing);
            queued += missing.Count;
        }
        return queued;
    }

    /// <summary>The subjects that have a synthetic map made by the generator with this hash.</summary>
    internal static async Task<HashSet<Guid>> SubjectsWithMapsAsync(ReaderStudyDbContext db, IReadOnlyList<Guid> subjects, string sha256, CancellationToken cancellationToken) =>
        [.. await MapsMadeWith(db, sha256).Where(s => subjects.Contains(s.SubjectId)).Select(s => s.SubjectId).Distinct().ToListAsync(cancellationToken)];

    /// <summary>The synthetic T2 maps made by the generator with this hash (its hash is in the map's kind rule).</summary>
    internal static IQueryable<ImagingSeries> MapsMadeWith(ReaderStudyDbContext db, string sha256)
    {
        var marker = $"(sha256 {sha256})";
        return db.Series.AsNoTracking().Where(s => (s.Kind == SeriesKind.T2Map || s.Kind == SeriesKind.ComparedImage) && s.Origin == MapOrigin.Synthetic && s.KindRule.Contains(marker));
    }

    private void Enqueue(Guid batchId, int round, IEnumerable<Guid> subjects)
    {
        foreach (var subject in subjects)
        {
            jobs.Enqueue<SynthesisWorker>(w => w.SynthesizeAsync(batchId, subject, round, CancellationToken.None));
        }
    }
}

/// <summary>One background job: one subject's synthetic map for one batch.</summary>
public sealed class SynthesisWorker(IDbContextFactory<ReaderStudyDbContext> dbFactory, SyntheticMapService maps, TimeProvider clock, ILogger<SynthesisWorker> logger)
{
    private const int AutomaticRetries = 2;

    [AutomaticRetry(Attempts = AutomaticRetries)]
    public async Task SynthesizeAsync(Guid batchId, Guid subjectId, int round, CancellationToken cancellationToken)
    {
        try
        {
            // Not wrapped in DatabaseRetry: the unit also runs the generator and reads DICOM, whose failures are not the
            // database's; a failed attempt (a database blip included) is retried by Hangfire, and the unit is idempotent.
            await SynthesizeOnceAsync(batchId, subjectId, round, cancellationToken);
        }
        catch (StudyRuleException e)
        {
            // The inputs are wrong (a missing series, grids that cannot be co-registered): the same again would fail the same way.
            await DatabaseRetry.RunAsync(_ => RecordFailureAsync(batchId, subjectId, e.Message, final: _ => true));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await RecordFailureAsync(batchId, subjectId, $"{e.GetType().Name}: {e.Message}", final: attempt => attempt > AutomaticRetries);
            throw;   // Hangfire retries it after a delay
        }
    }

    private async Task RecordFailureAsync(Guid batchId, Guid subjectId, string error, Func<int, bool> final)
    {
        logger.LogWarning("Batch {Batch}: subject {Subject} failed: {Error}", batchId, subjectId, error);
        await using var db = await dbFactory.CreateDbContextAsync();
        var batch = await db.SynthesisBatches.AsNoTracking().SingleOrDefaultAsync(b => b.Id == batchId);
        if (batch is null)
        {
            return;
        }
        var attempt = 1 + await db.SynthesisFailures.CountAsync(f => f.BatchId == batchId && f.SubjectId == subjectId && !f.Superseded);
        db.SynthesisFailures.Add(new SynthesisFailure
        {
            StudyId = batch.StudyId,
            BatchId = batchId,
            SubjectId = subjectId,
            Attempt = attempt,
            Final = final(attempt),
            Error = error.Length <= SynthesisFailureLimits.ErrorLength ? error : error[..(SynthesisFailureLimits.ErrorLength - 1)] + "…",
            FailedAt = clock.GetUtcNow(),
        });
        await db.SaveChangesAsync();
    }

    private async Task SynthesizeOnceAsync(Guid batchId, Guid subjectId, int round, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var batch = await db.SynthesisBatches.AsNoTracking().SingleOrDefaultAsync(b => b.Id == batchId, cancellationToken);
        var generator = batch is null ? null : await db.Generators.AsNoTracking().SingleAsync(g => g.Id == batch.GeneratorId, cancellationToken);
        if (batch is null || generator is null || batch.Cancelled || batch.Round != round
            || (await SynthesisBatches.SubjectsWithMapsAsync(db, [subjectId], generator.Sha256, cancellationToken)).Count > 0)
        {
            return;
        }
        var outcome = await maps.GenerateAsync(batch.StudyId, new SynthesisRequest(subjectId, batch.GeneratorId), cancellationToken);
        if (await MapKeeping.KeepTheEarliestAsync(dbFactory, other => SynthesisBatches.MapsMadeWith(other, generator.Sha256).Where(s => s.SubjectId == subjectId), outcome.SyntheticSeriesId))
        {
            logger.LogInformation("Batch {Batch}: subject {Subject} got its map from another worker at the same time; this one's was removed", batchId, subjectId);
            return;
        }
        logger.LogInformation("Batch {Batch}: synthetic map {Series} for subject {Subject} on {Provider}", batchId, outcome.SyntheticSeriesId, subjectId, outcome.Provider);
    }
}
