using Microsoft.EntityFrameworkCore;
using ReaderStudy.Core.Data;
using ReaderStudy.Core.Studies;

namespace ReaderStudy.Web.Features.Studies;

/// <summary>
/// Correcting what a coordinator made by mistake: renaming the study, deleting a series, a subject or the whole
/// study. Only while the study is a draft: once open, trials and answers refer to all of it. Every change is in
/// the audit log (the rows removed, and one line saying what went with them).
/// </summary>
/// <remarks>Stored files stay in the image store: it is content-addressed, and another series may hold the same file.</remarks>
public sealed class StudyCorrections(IDbContextFactory<ReaderStudyDbContext> dbFactory)
{
    public Task<StudySummary> EditAsync(Guid studyId, StudyEdit edit, CancellationToken cancellationToken = default) =>
        DatabaseRetry.RunAsync(ct => EditOnceAsync(studyId, edit, ct), cancellationToken);

    private async Task<StudySummary> EditOnceAsync(Guid studyId, StudyEdit edit, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var study = await RequireDraftAsync(db, studyId, "be renamed", cancellationToken);
        (study.Name, study.Description) = (await StudyService.FreeNameAsync(db, edit.Name, studyId, cancellationToken), edit.Description.Trim());
        await db.SaveChangesAsync(cancellationToken);
        return new StudySummary(study.Id, study.Name, study.Description, study.State,
            await db.StudyMembers.CountAsync(m => m.StudyId == studyId && m.Role == Core.Accounts.PortalRoles.Reader, cancellationToken), study.CreatedAt, study.Kind);
    }

    /// <summary>Deletes a series and the cases built on it; says how many cases went.</summary>
    public Task<Correction> DeleteSeriesAsync(Guid studyId, Guid seriesId, CancellationToken cancellationToken = default) =>
        DatabaseRetry.RunUnsentAsync(ct => DeleteSeriesOnceAsync(studyId, seriesId, ct), cancellationToken);

    private async Task<Correction> DeleteSeriesOnceAsync(Guid studyId, Guid seriesId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await RequireDraftAsync(db, studyId, "have series deleted", cancellationToken);
        var series = await db.Series.SingleOrDefaultAsync(s => s.StudyId == studyId && s.Id == seriesId, cancellationToken)
            ?? throw new StudyRuleException("No such series in this study.");
        var cases = await db.Cases.Where(c => c.StudyId == studyId && (c.RealSeriesId == seriesId || c.SyntheticSeriesId == seriesId)).ToListAsync(cancellationToken);
        db.Cases.RemoveRange(cases);
        db.Series.Remove(series);
        var what = $"series {series.SeriesNumber} '{series.Description}' ({series.Kind}, {series.ImageCount} images)";
        var said = $"Deleted {what}" + (cases.Count > 0 ? $" and the {cases.Count} case(s) built on it; build cases again." : ".");
        db.Audit("series.deleted", studyId, said);
        await db.SaveChangesAsync(cancellationToken);
        return new Correction(said, cases.Count);
    }

    /// <summary>Deletes a subject with its series and cases.</summary>
    public Task<Correction> DeleteSubjectAsync(Guid studyId, Guid subjectId, CancellationToken cancellationToken = default) =>
        DatabaseRetry.RunUnsentAsync(ct => DeleteSubjectOnceAsync(studyId, subjectId, ct), cancellationToken);

    private async Task<Correction> DeleteSubjectOnceAsync(Guid studyId, Guid subjectId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await RequireDraftAsync(db, studyId, "have subjects deleted", cancellationToken);
        var subject = await db.Subjects.SingleOrDefaultAsync(s => s.StudyId == studyId && s.Id == subjectId, cancellationToken)
            ?? throw new StudyRuleException("No such subject in this study.");
        var cases = await db.Cases.Where(c => c.StudyId == studyId && c.SubjectId == subjectId).ToListAsync(cancellationToken);
        var series = await db.Series.Where(s => s.StudyId == studyId && s.SubjectId == subjectId).ToListAsync(cancellationToken);
        db.Cases.RemoveRange(cases);
        db.Series.RemoveRange(series);
        db.Subjects.Remove(subject);
        var said = $"Deleted subject {subject.Pseudonym} with its {series.Count} series and {cases.Count} case(s).";
        db.Audit("subject.deleted", studyId, said);
        await db.SaveChangesAsync(cancellationToken);
        return new Correction(said, cases.Count);
    }

    /// <summary>Deletes a draft study and everything in it.</summary>
    public Task<Correction> DeleteStudyAsync(Guid studyId, CancellationToken cancellationToken = default) =>
        DatabaseRetry.RunUnsentAsync(ct => DeleteStudyOnceAsync(studyId, ct), cancellationToken);

    private async Task<Correction> DeleteStudyOnceAsync(Guid studyId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var study = await RequireDraftAsync(db, studyId, "be deleted", cancellationToken);
        var (subjects, series) = (await db.Subjects.CountAsync(s => s.StudyId == studyId, cancellationToken), await db.Series.CountAsync(s => s.StudyId == studyId, cancellationToken));
        // Cases go first: they restrict the deletion of the series they pair, and the database does not order its cascades.
        var cases = await db.Cases.Where(c => c.StudyId == studyId).ToListAsync(cancellationToken);
        db.Cases.RemoveRange(cases);
        await db.SaveChangesAsync(cancellationToken);
        db.Studies.Remove(study);
        var said = $"Deleted draft study '{study.Name}' with {subjects} subject(s), {series} series and {cases.Count} case(s).";
        db.Audit("study.deleted", studyId, said);
        await db.SaveChangesAsync(cancellationToken);
        return new Correction(said, cases.Count);
    }

    private static async Task<Study> RequireDraftAsync(ReaderStudyDbContext db, Guid studyId, string what, CancellationToken cancellationToken)
    {
        var study = await db.Studies.SingleOrDefaultAsync(s => s.Id == studyId, cancellationToken) ?? throw new StudyRuleException("No such study.");
        return study.State == StudyState.Draft ? study
            : throw new StudyRuleException($"{(study.State == StudyState.Open ? "An open" : "A closed")} study cannot {what}: its trials and answers refer to what it holds. Only a draft is corrected this way.");
    }
}

/// <summary>A study's new name and description.</summary>
public sealed record StudyEdit(string Name, string Description = "");

/// <summary>What a correction did, in words, and how many built cases it removed.</summary>
public sealed record Correction(string Said, int CasesRemoved);
