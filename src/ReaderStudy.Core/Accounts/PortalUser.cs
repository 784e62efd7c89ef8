using Microsoft.AspNetCore.Identity;

namespace ReaderStudy.Core.Accounts;

/// <summary>A person who signs in to the portal: an administrator, coordinator, reader or statistician.</summary>
public sealed class PortalUser : IdentityUser
{
    /// <summary>How colleagues know this person ("Dr. A. Reader"); never shown to other readers.</summary>
    public string DisplayName { get; set; } = "";
}
