namespace ReaderStudy.Core.Auditing;

/// <summary>One row of the append-only audit log: who did what, when, in which study.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    /// <summary>The acting user's id, or null for the system (start-up seeding, background jobs, anonymous sign-in attempts).</summary>
    public string? UserId { get; set; }
    public string UserName { get; set; } = "";
    /// <summary>A dotted verb, e.g. "Study.added", "StudyMember.deleted", "account.sign-in-failed".</summary>
    public string Action { get; set; } = "";
    public Guid? StudyId { get; set; }
    /// <summary>The entity's key, where the action touched one entity.</summary>
    public string? EntityKey { get; set; }
    /// <summary>Names of changed properties or a short free-text detail; never secrets such as password hashes.</summary>
    public string Details { get; set; } = "";
    /// <summary>The <see cref="Hash"/> of the row written before this one ("" for the first row of the chain).</summary>
    public string PreviousHash { get; set; } = "";
    /// <summary>SHA-256 of this row's content and <see cref="PreviousHash"/>: change or remove any row and the chain breaks there.</summary>
    public string Hash { get; set; } = "";
}
