using Microsoft.EntityFrameworkCore;
using ReaderStudy.Core.Data;
using ReaderStudy.Core.Reading.Presentation;
using ReaderStudy.Core.Series;
using ReaderStudy.Core.Studies;
using ReaderStudy.Web.Features.Studies;

namespace ReaderStudy.Web.Features.Reading;

/// <summary>The coordinator's view of a reading study: settings, series origins, progress, the blinding check and, once closed, the key.</summary>
public sealed class ReadingOversight(IDbContextFactory<ReaderStudyDbContext> dbFactory, BlindingCheck blinding)
{
    public Task ChangeSettingsAsync(Guid studyId, ReadingSettingsChange change, CancellationToken cancellationToken = default) =>
        DatabaseRetry.RunAsync(ct => ChangeSettingsOnceAsync(studyId, change, ct), cancellationToken);

    private async Task ChangeSettingsOnceAsync(Guid studyId, ReadingSettingsChange change, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var study = await db.Studies.SingleAsync(s => s.Id == studyId, cancellationToken);
        if ((study.Presentation() with { RangeMin = change.DisplayMin, RangeMax = change.DisplayMax, Step = change.PresentationStep, Mask = change.PresentationMask }).Problem() is { } problem)
        {
            throw new StudyRuleException(problem);
        }
        if (study.State != StudyState.Draft)
        {
            throw new StudyRuleException("The reading design can only change while the study is a draft.");
        }
        if (change.RepeatedCases < 0)
        {
            throw new StudyRuleException("The number of repeated cases cannot be negative.");
        }
        if (change.DiagnosticSpacing < 0 || change.DiagnosticWashoutDays is < 0 or > 365)
        {
            throw new StudyRuleException("The spacing of a subject's two readings is a number of cases (0 or more), the washout 0 to 365 days.");
        }
        if ((change.DiagnosticFinding ?? "").Trim().Length > 500)
        {
            throw new StudyRuleException("The finding is described in at most 500 characters.");
        }
        (study.ReadingMode, study.AllowAnswerChanges, study.DisplayMin, study.DisplayMax, study.RepeatedCases, study.PresentationStep, study.PresentationMask) =
            (change.Mode, change.AllowAnswerChanges, change.DisplayMin, change.DisplayMax, change.RepeatedCases, change.PresentationStep, change.PresentationMask);
        (study.DiagnosticFinding, study.DiagnosticSpacing, study.DiagnosticWashoutDays) = ((change.DiagnosticFinding ?? "").Trim(), change.DiagnosticSpacing, change.DiagnosticWashoutDays);
        study.OutlineSegmentation = change.OutlineSegmentation;
        study.ContextSeries = (change.ContextSeries ?? "").Trim() is { Length: <= 128 } context
            ? context
            : throw new StudyRuleException("The context series is named by its description, in at most 128 characters.");
        if (change.Colormap is { } colormap)
        {
            study.Colormap = study.Profile.Colormaps.Contains(colormap)
                ? colormap
                : throw new StudyRuleException($"'{colormap}' is not a colour map of a {study.Profile.Title} study; choose {string.Join(", ", study.Profile.Colormaps)}.");
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    public Task<ReadingSettingsChange> SettingsAsync(Guid studyId, CancellationToken cancellationToken = default) =>
        DatabaseRetry.RunAsync(ct => SettingsOnceAsync(studyId, ct), cancellationToken);

    private async Task<ReadingSettingsChange> SettingsOnceAsync(Guid studyId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Studies.Where(s => s.Id == studyId)
            .Select(s => new ReadingSettingsChange(s.ReadingMode, s.AllowAnswerChanges, s.DisplayMin, s.DisplayMax, s.RepeatedCases, s.PresentationStep, s.PresentationMask,
                s.DiagnosticFinding, s.DiagnosticSpacing, s.DiagnosticWashoutDays, s.Colormap, s.OutlineSegmentation, s.ContextSeries)).SingleAsync(cancellationToken);
    }

    public Task<bool> SetOriginAsync(Guid studyId, Guid seriesId, MapOrigin origin, CancellationToken cancellationToken = default) =>
        DatabaseRetry.RunAsync(ct => SetOriginOnceAsync(studyId, seriesId, origin, ct), cancellationToken);

    private async Task<bool> SetOriginOnceAsync(Guid studyId, Guid seriesId, MapOrigin origin, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var series = await db.Series.SingleOrDefaultAsync(s => s.StudyId == studyId && s.Id == seriesId, cancellationToken);
        if (series is null)
        {
            return false;
        }
        series.Origin = origin;
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    public Task<IReadOnlyList<ReaderProgress>> ProgressAsync(Guid studyId, CancellationToken cancellationToken = default) =>
        DatabaseRetry.RunAsync(ct => ProgressOnceAsync(studyId, ct), cancellationToken);

    private async Task<IReadOnlyList<ReaderProgress>> ProgressOnceAsync(Guid studyId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Trials.AsNoTracking().Where(t => t.StudyId == studyId)
            .Join(db.Users, t => t.ReaderId, u => u.Id, (t, u) => new { u.Email, Submitted = t.SubmittedAt != null, t.SecondsSpent })
            .ToListAsync(cancellationToken);
        return [.. rows.GroupBy(r => r.Email).OrderBy(g => g.Key)
            .Select(g => new ReaderProgress(g.Key!, g.Count(r => r.Submitted), g.Count(), Math.Round(g.Sum(r => r.SecondsSpent) / 60, 1)))];
    }

    public Task<IReadOnlyList<CaseProgress>> ProgressByCaseAsync(Guid studyId, CancellationToken cancellationToken = default) =>
        DatabaseRetry.RunAsync(ct => ProgressByCaseOnceAsync(studyId, ct), cancellationToken);

    private async Task<IReadOnlyList<CaseProgress>> ProgressByCaseOnceAsync(Guid studyId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await (from t in db.Trials.AsNoTracking()
                          join c in db.Cases on t.CaseId equals c.Id
                          join s in db.Subjects on c.SubjectId equals s.Id
                          where t.StudyId == studyId
                          select new { c.Number, s.Pseudonym, Submitted = t.SubmittedAt != null }).ToListAsync(cancellationToken);
        return [.. rows.GroupBy(r => (r.Number, r.Pseudonym)).OrderBy(g => g.Key.Number)
            .Select(g => new CaseProgress(g.Key.Number, g.Key.Pseudonym, g.Count(r => r.Submitted), g.Count()))];
    }

    /// <summary>The randomization key; it exists for analysis only after the study closes.</summary>
    public async Task<IReadOnlyList<TrialKey>> KeyAsync(Guid studyId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var study = await db.Studies.AsNoTracking().SingleAsync(s => s.Id == studyId, cancellationToken);
        if (study.State != StudyState.Closed)
        {
            throw new StudyRuleException("The randomization key is sealed until the study closes.");
        }
        var rows = await (from t in db.Trials.AsNoTracking()
                          join c in db.Cases on t.CaseId equals c.Id
                          join s in db.Subjects on c.SubjectId equals s.Id
                          join u in db.Users on t.ReaderId equals u.Id
                          where t.StudyId == studyId
                          select new TrialKey(t.Id, u.Email!, c.Number, s.Pseudonym, t.Position, t.RealOnLeft, t.Seed)).ToListAsync(cancellationToken);
        db.Audit("reading.key-read", studyId, $"{rows.Count} trial(s)");
        await db.SaveChangesAsync(cancellationToken);
        return [.. rows.OrderBy(r => r.Reader).ThenBy(r => r.Position)];
    }

    /// <summary>The blinding check on what readers' browsers receive (see <see cref="BlindingCheck"/>).</summary>
    public Task<BlindingReport> CheckBlindingAsync(Guid studyId, CancellationToken cancellationToken = default) => blinding.CheckAsync(studyId, cancellationToken);
}
