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

    /// <summary>The demo accounts, with <paramref name="extraReaders"/> more readers (reader3, reader4, …) for a realistic panel or a load test.</summary>
    public static IReadOnlyList<DemoAccount> With(int extraReaders) =>
        [.. All, .. Enumerable.Range(3, Math.Max(0, extraReaders)).Select(n => new DemoAccount($"reader{n}@readerstudy.local", $"Dr. Reader {n}", Core.Accounts.PortalRoles.Reader))];
}
