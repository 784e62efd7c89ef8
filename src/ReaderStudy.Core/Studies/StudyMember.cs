namespace ReaderStudy.Core.Studies;

/// <summary>A user's part in one study. Without a membership a non-admin user cannot see the study at all.</summary>
public sealed class StudyMember : IStudyScoped
{
    public Guid StudyId { get; set; }
    public string UserId { get; set; } = "";
    /// <summary>One of <see cref="Accounts.PortalRoles"/>, the role the user plays in this study.</summary>
    public string Role { get; set; } = "";
    public DateTimeOffset AddedAt { get; set; }
}
