using System.Security.Claims;
using ReaderStudy.Core.Auditing;

namespace ReaderStudy.Web.Features.Accounts;

/// <summary>The audit log's view of who is acting: the circuit's user, else the request's, else the system.</summary>
public sealed class PortalActor(CircuitUser circuitUser, IHttpContextAccessor http) : IAuditActor
{
    private ClaimsPrincipal? Principal =>
        circuitUser.Principal?.Identity?.IsAuthenticated == true ? circuitUser.Principal : http.HttpContext?.User;

    public string? UserId => Principal?.FindFirstValue(ClaimTypes.NameIdentifier);

    public string UserName => Principal?.Identity?.IsAuthenticated == true
        ? Principal.Identity.Name ?? "unknown"
        : "anonymous";
}
