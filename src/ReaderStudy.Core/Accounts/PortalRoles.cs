namespace ReaderStudy.Core.Accounts;

/// <summary>The portal-wide roles. Study access is narrowed further by <see cref="Studies.StudyMember"/>.</summary>
public static class PortalRoles
{
    public const string Admin = "Admin";
    public const string Coordinator = "Coordinator";
    public const string Reader = "Reader";
    public const string Statistician = "Statistician";

    public static readonly IReadOnlyList<string> All = [Admin, Coordinator, Reader, Statistician];
}
