namespace ReaderStudy.Core.Studies;

/// <summary>
/// A coordinator's invitation of someone who cannot join yet (no account under that e-mail, or not in that role):
/// it becomes a membership as soon as an administrator creates the account or gives it the role, or, for a reader or a
/// statistician, when the person completes their account through the invitation's link.
/// </summary>
public sealed class StudyInvitation : IStudyScoped
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid StudyId { get; set; }
    /// <summary>Upper-case, as Identity normalizes e-mails, so the match does not depend on how it was typed.</summary>
    public string NormalizedEmail { get; set; } = "";
    public string Email { get; set; } = "";
    public string Role { get; set; } = "";
    public string InvitedBy { get; set; } = "";
    public DateTimeOffset InvitedAt { get; set; }
    /// <summary>
    /// SHA-256 (hex) of the secret in the invitation's link; empty when the invitation has no link (a coordinator's,
    /// which only an administrator completes). The secret itself is shown once, to the coordinator who invites.
    /// </summary>
    public string LinkHash { get; set; } = "";
    /// <summary>When the invitation became a membership; null while it waits.</summary>
    public DateTimeOffset? JoinedAt { get; set; }
}
