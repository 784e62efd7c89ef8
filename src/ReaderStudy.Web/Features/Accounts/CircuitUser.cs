using System.Security.Claims;

namespace ReaderStudy.Web.Features.Accounts;

/// <summary>The signed-in user of one Blazor circuit, where no HttpContext exists.</summary>
public sealed class CircuitUser
{
    public ClaimsPrincipal? Principal { get; set; }
}
