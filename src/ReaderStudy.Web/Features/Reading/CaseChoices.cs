using Microsoft.EntityFrameworkCore;
using ReaderStudy.Core.Data;
using ReaderStudy.Core.Series;
using ReaderStudy.Web.Features.Studies;

namespace ReaderStudy.Web.Features.Reading;

/// <summary>A compared image a subject's case could use.</summary>
public sealed record CaseOption(Guid SeriesId, string Description, MapOrigin Origin, DateTimeOffset ImportedAt);

/// <summary>One subject as the coordinator decides its case: in or out (and why), and which real and synthetic image.</summary>
public sealed record SubjectCase(Guid SubjectId, string Subject, string? ExcludedReason, Guid? ChosenRealSeriesId, Guid? ChosenSyntheticSeriesId, IReadOnlyList<CaseOption> Options);

/// <summary>What the coordinator decides for one subject. Excluding needs a reason; null series mean "the newest".</summary>
public sealed record CaseChoice(bool Excluded, string? Reason, Guid? RealSeriesId, Guid? SyntheticSeriesId);

/// <summary>
/// The coordinator's say over the cases before a study opens: leave a subject out (with a reason the results
/// repeat), or pick which real or synthetic image its case pairs when it has several. Kept on the subject, so
/// building the cases again keeps them; every choice rebuilds the cases and is audited.
/// </summary>
public sealed class CaseChoices(IDbContextFactory<ReaderStudyDbContext> dbFactory, ReadingDesign design)
{
    public async Task<IReadOnlyList<SubjectCase>> ListAsync(Guid studyId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var compared = (await db.Studies.SingleAsync(s => s.Id == studyId, cancellationToken)).Profile.ComparedKind;
        var options = (await db.Series.AsNoTracking().Where(s => s.StudyId == studyId && s.Kind == compared && s.Origin != MapOrigin.Unknown).ToListAsync(cancellationToken))
            .ToLookup(s => s.SubjectId);
        return [.. (await db.Subjects.AsNoTracking().Where(s => s.StudyId == studyId).ToListAsync(cancellationToken)).OrderBy(s => s.Pseudonym).Select(s =>
            new SubjectCase(s.Id, s.Pseudonym, s.ExcludedReason, s.ChosenRealSeriesId, s.ChosenSyntheticSeriesId,
                [.. options[s.Id].OrderBy(o => o.Origin).ThenByDescending(o => o.ImportedAt).Select(o => new CaseOption(o.Id, o.Description, o.Origin, o.ImportedAt))]))];
    }

    public Task<CaseBuild> ChooseAsync(Guid studyId, Guid subjectId, CaseChoice choice, CancellationToken cancellationToken = default) =>
        DatabaseRetry.RunUnsentAsync(ct => ChooseOnceAsync(studyId, subjectId, choice, ct), cancellationToken);

    private async Task<CaseBuild> ChooseOnceAsync(Guid studyId, Guid subjectId, CaseChoice choice, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var study = await ReadingDesign.RequireDraftAsync(db, studyId, cancellationToken);
        var subject = await db.Subjects.SingleOrDefaultAsync(s => s.StudyId == studyId && s.Id == subjectId, cancellationToken)
            ?? throw new StudyRuleException("No such subject in this study.");
        var reason = choice.Reason?.Trim() ?? "";
        if (choice.Excluded && reason.Length < 3)
        {
            throw new StudyRuleException($"Excluding {subject.Pseudonym} needs a reason (a few words the results will repeat).");
        }
        async Task<Guid?> CheckedAsync(Guid? seriesId, MapOrigin origin)
        {
            if (seriesId is null)
            {
                return null;
            }
            var series = await db.Series.AsNoTracking().SingleOrDefaultAsync(s => s.StudyId == studyId && s.Id == seriesId, cancellationToken);
            if (series is null || series.SubjectId != subjectId)
            {
                throw new StudyRuleException($"That series is not one of {subject.Pseudonym}'s.");
            }
            if (series.Kind != study.Profile.ComparedKind || series.Origin != origin)
            {
                throw new StudyRuleException($"'{series.Description}' is not a {origin.ToString().ToLowerInvariant()} {study.Profile.ComparedNoun}: mark its origin first.");
            }
            return series.Id;
        }
        subject.ChosenRealSeriesId = await CheckedAsync(choice.RealSeriesId, MapOrigin.Real);
        subject.ChosenSyntheticSeriesId = await CheckedAsync(choice.SyntheticSeriesId, MapOrigin.Synthetic);
        subject.ExcludedReason = choice.Excluded ? reason[..Math.Min(500, reason.Length)] : null;
        db.Audit(choice.Excluded ? "case.excluded" : "case.chosen", studyId, choice.Excluded
            ? $"{subject.Pseudonym}: {subject.ExcludedReason}"
            : $"{subject.Pseudonym}: real {subject.ChosenRealSeriesId?.ToString() ?? "newest"}, synthetic {subject.ChosenSyntheticSeriesId?.ToString() ?? "newest"}");
        await db.SaveChangesAsync(cancellationToken);
        return await design.BuildCasesOnceAsync(studyId, cancellationToken);
    }
}
