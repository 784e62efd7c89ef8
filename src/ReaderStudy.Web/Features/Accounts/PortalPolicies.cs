namespace ReaderStudy.Web.Features.Accounts;

/// <summary>Role-based policy names. Study membership is checked on top of these by <see cref="Studies.StudyAccess"/>.</summary>
public static class PortalPolicies
{
    public const string Administer = nameof(Administer);
    public const string Coordinate = nameof(Coordinate);
    public const string Analyse = nameof(Analyse);
    public const string Read = nameof(Read);
}
