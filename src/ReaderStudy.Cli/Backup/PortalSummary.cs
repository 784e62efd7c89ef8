using Microsoft.EntityFrameworkCore;
using ReaderStudy.Core.Auditing;
using ReaderStudy.Core.Data;

namespace ReaderStudy.Cli.Backup;

/// <summary>
/// What a backup holds, counted in the database it was taken from and again in the one it was restored into: the
/// two must be equal, to the last answer and the audit log's last hash.
/// </summary>
internal sealed record PortalSummary(int Studies, int Subjects, int Series, int Images, int Answers, int Generators, int AuditRows, string AuditHead)
{
    public static async Task<PortalSummary> OfAsync(ReaderStudyDbContext db, CancellationToken cancellationToken) => new(
        await db.Studies.CountAsync(cancellationToken),
        await db.Subjects.CountAsync(cancellationToken),
        await db.Series.CountAsync(cancellationToken),
        await db.SeriesImages.CountAsync(cancellationToken),
        await db.Answers.CountAsync(cancellationToken),
        await db.Generators.CountAsync(cancellationToken),
        await db.AuditLog.CountAsync(cancellationToken),
        await db.AuditLog.Where(e => e.Hash != "").OrderByDescending(e => e.Id).Select(e => e.Hash).FirstOrDefaultAsync(cancellationToken) ?? "");

    public static async Task<AuditVerification> VerifyAuditAsync(ReaderStudyDbContext db, CancellationToken cancellationToken) =>
        AuditChain.Verify(await db.AuditLog.AsNoTracking().OrderBy(e => e.Id).ToListAsync(cancellationToken));
}
