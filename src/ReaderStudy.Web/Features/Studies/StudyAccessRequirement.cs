using Microsoft.AspNetCore.Authorization;

namespace ReaderStudy.Web.Features.Studies;

/// <summary>Requires the <see cref="StudyActivity"/> on the study named by the route's {studyId}.</summary>
public sealed record StudyAccessRequirement(StudyActivity Activity) : IAuthorizationRequirement;

/// <summary>
/// Evaluates <see cref="StudyAccessRequirement"/> for API endpoints and page requests (resource: HttpContext)
/// and for pages inside an interactive circuit (resource: RouteData), so both paths share one rule.
/// </summary>
public sealed class StudyAccessHandler(StudyAccess access) : AuthorizationHandler<StudyAccessRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, StudyAccessRequirement requirement)
    {
        var raw = context.Resource switch
        {
            HttpContext http => http.GetRouteValue("studyId"),
            Microsoft.AspNetCore.Components.RouteData route => route.RouteValues.FirstOrDefault(v => v.Key.Equals("studyId", StringComparison.OrdinalIgnoreCase)).Value,
            _ => null,
        };
        if (Guid.TryParse(raw?.ToString(), out var studyId) && await access.AllowsAsync(context.User, studyId, requirement.Activity))
        {
            context.Succeed(requirement);
        }
    }
}
