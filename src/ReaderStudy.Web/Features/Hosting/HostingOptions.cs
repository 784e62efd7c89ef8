namespace ReaderStudy.Web.Features.Hosting;

/// <summary>The "Hosting" section: this process's part in a deployment of several portal processes.</summary>
public sealed class HostingOptions
{
    public const string Section = "Hosting";

    public NodeRole Role { get; set; } = NodeRole.WebAndWorker;

    /// <summary>Sent as the X-ReaderStudy-Node response header when set, so an operator can tell which process answered.</summary>
    public string? NodeName { get; set; }

    /// <summary>
    /// A PFX certificate that encrypts the cookie keys stored in the database, so that reading the database is not
    /// enough to forge a sign-in; optional (without it the keys are stored as the framework writes them).
    /// </summary>
    public string? KeyCertificatePath { get; set; }

    public string? KeyCertificatePassword { get; set; }

    public bool ServesPeople => Role != NodeRole.Worker;

    public bool RunsJobs => Role != NodeRole.Web;
}
