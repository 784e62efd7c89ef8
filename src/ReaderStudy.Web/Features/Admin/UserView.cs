namespace ReaderStudy.Web.Features.Admin;

/// <param name="LockedOut">Signing in is refused now: too many failures from somewhere, or the account is deactivated.</param>
/// <param name="Deactivated">An administrator deactivated the account (until reactivated).</param>
public sealed record UserView(string Id, string Email, string DisplayName, IReadOnlyList<string> Roles, bool LockedOut, bool Deactivated = false);

public sealed record RolesChange(IReadOnlyList<string> Roles);

public sealed record PasswordChange(string Password);

public sealed record NewUser(string Email, string DisplayName, string Role, string Password);
