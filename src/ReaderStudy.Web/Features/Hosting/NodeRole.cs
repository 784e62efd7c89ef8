namespace ReaderStudy.Web.Features.Hosting;

/// <summary>What one portal process does when several serve a study (the "Hosting:Role" setting).</summary>
public enum NodeRole
{
    /// <summary>Pages, API and background jobs: the single-process default.</summary>
    WebAndWorker,

    /// <summary>Pages and API for people; background jobs are queued for the workers.</summary>
    Web,

    /// <summary>Background jobs (synthesis batches) only; no pages, no API, health checks answered.</summary>
    Worker,
}
