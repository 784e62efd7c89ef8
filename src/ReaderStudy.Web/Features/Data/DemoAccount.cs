namespace ReaderStudy.Web.Features.Data;

/// <summary>An account created for the demo, one per role, readers twice so reader-to-reader rules can be seen.</summary>
public sealed record DemoAccount(string Email, string DisplayName, string Role)
{
    public static readonly IReadOnlyList<DemoAccount> All =
    [
        new("admin@readerstudy.local", "Ada Admin", Core.Accounts.PortalRoles.Admin),
        new("coordinator@readerstudy.local", "Cora Coordinator", Core.Accounts.PortalRoles.Coordinator),
        new("reader1@readerstudy.local", "Dr. Rhea Reader", Core.Accounts.PortalRoles.Reader),
        new("reader2@readerstudy.local", "Dr. Remy Reader", Core.Accounts.PortalRoles.Reader),
        new("statistician@readerstudy.local", "Stan Statistician", Core.Accounts.PortalRoles.Statistician),
    ];
}
