namespace ReaderStudy.Core.Auditing;

/// <summary>Who is acting right now, as the audit log records it.</summary>
public interface IAuditActor
{
    string? UserId { get; }
    string UserName { get; }
}

/// <summary>The actor for start-up seeding, command-line tools and background jobs.</summary>
public sealed class SystemActor(string name = "system") : IAuditActor
{
    public string? UserId => null;
    public string UserName { get; } = name;
}
