using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using ReaderStudy.Core.Data;

namespace ReaderStudy.Web.Features.Health;

public static class HealthExtensions
{
    public static IServiceCollection AddReaderStudyHealth(this IServiceCollection services)
    {
        services.AddHealthChecks().AddDbContextCheck<ReaderStudyDbContext>("database", tags: ["ready"]);
        return services;
    }

    /// <summary>/health/live: the process answers. /health/ready: it can also reach its database. Both anonymous, for load balancers.</summary>
    public static void MapReaderStudyHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();
    }
}
