namespace ReaderStudy.Web.Features.Admin;

public sealed record UserView(string Id, string Email, string DisplayName, IReadOnlyList<string> Roles, bool LockedOut);

public sealed record NewUser(string Email, string DisplayName, string Role, string Password);
