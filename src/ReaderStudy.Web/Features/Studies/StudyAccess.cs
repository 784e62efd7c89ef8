using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using ReaderStudy.Core.Accounts;
using ReaderStudy.Core.Data;
using ReaderStudy.Core.Studies;

namespace ReaderStudy.Web.Features.Studies;

/// <summary>The one place that decides who may do what with a study: portal role and study membership together.</summary>
public sealed class StudyAccess(IDbContextFactory<ReaderStudyDbContext> dbFactory)
{
    public Task<bool> AllowsAsync(ClaimsPrincipal user, Guid studyId, StudyActivity activity, CancellationToken cancellationToken = default) =>
        DatabaseRetry.RunAsync(ct => AllowsOnceAsync(user, studyId, activity, ct), cancellationToken);

    private async Task<bool> AllowsOnceAsync(ClaimsPrincipal user, Guid studyId, StudyActivity activity, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var study = await db.Studies.AsNoTracking().Where(s => s.Id == studyId)
            .Select(s => new { s.State }).SingleOrDefaultAsync(cancellationToken);
        if (study is null)
        {
            return false;
        }
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        var memberRoles = await db.StudyMembers.AsNoTracking()
            .Where(m => m.StudyId == studyId && m.UserId == userId).Select(m => m.Role).ToListAsync(cancellationToken);
        return Allows(user, memberRoles, study.State, activity);
    }

    /// <summary>The rule itself, over what is already loaded.</summary>
    public static bool Allows(ClaimsPrincipal user, IReadOnlyCollection<string> memberRoles, StudyState state, StudyActivity activity)
    {
        bool ActsAs(string role) => user.IsInRole(role) && memberRoles.Contains(role);
        var admin = user.IsInRole(PortalRoles.Admin);
        return activity switch
        {
            StudyActivity.View => admin || memberRoles.Any(user.IsInRole),
            StudyActivity.Coordinate => admin || ActsAs(PortalRoles.Coordinator),
            StudyActivity.Analyse => admin || ActsAs(PortalRoles.Statistician)
                || (state == StudyState.Closed && ActsAs(PortalRoles.Coordinator)),
            StudyActivity.Read => ActsAs(PortalRoles.Reader),
            _ => false,
        };
    }

    /// <summary>The studies a user may see: all for an admin, else those they are a member of.</summary>
    public static IQueryable<Study> Visible(ReaderStudyDbContext db, ClaimsPrincipal user)
    {
        if (user.IsInRole(PortalRoles.Admin))
        {
            return db.Studies;
        }
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        var roles = PortalRoles.All.Where(user.IsInRole).ToList();
        return db.Studies.Where(s => s.Members.Any(m => m.UserId == userId && roles.Contains(m.Role)));
    }
}
