using Microsoft.EntityFrameworkCore;
using ReaderStudy.Core.Auditing;
using ReaderStudy.Core.Data;

namespace ReaderStudy.Web.Features.Admin;

/// <summary>Reads the newest audit entries, optionally for one study.</summary>
public sealed class AuditLogQuery(IDbContextFactory<ReaderStudyDbContext> dbFactory)
{
    public async Task<IReadOnlyList<AuditEntry>> NewestAsync(Guid? studyId, int take, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.AuditLog.AsNoTracking();
        if (studyId is { } id)
        {
            query = query.Where(e => e.StudyId == id);
        }
        return await query.OrderByDescending(e => e.Id).Take(Math.Clamp(take, 1, 1000)).ToListAsync(cancellationToken);
    }
}
