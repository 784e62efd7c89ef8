using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using ReaderStudy.Core.Data;

namespace ReaderStudy.Web.Features.Hosting;

/// <summary>
/// What lets several portal processes serve one study: the role of each process, and the keys behind sign-in
/// cookies and form tokens kept in the shared database, so a reader whose process dies goes on at another one
/// without signing in again.
/// </summary>
public static class HostingExtensions
{
    /// <summary>The name every process protects its cookies under; by default it would be the install folder.</summary>
    public const string KeyRingName = "ReaderStudy";

    public static WebApplicationBuilder AddReaderStudyHosting(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<HostingOptions>().BindConfiguration(HostingOptions.Section)
            .Validate<IOptions<DatabaseOptions>>((hosting, database) => hosting.Role == NodeRole.WebAndWorker || database.Value.Provider == "Postgres",
                "Hosting:Role 'Web' or 'Worker' needs Database:Provider 'Postgres': on SQLite the job queue lives in one process's memory, so a web process's batches would reach no worker.")
            .Validate(hosting => string.IsNullOrWhiteSpace(hosting.KeyCertificatePath) || File.Exists(hosting.KeyCertificatePath),
                "Hosting:KeyCertificatePath names a file that does not exist.")
            .ValidateOnStart();

        var options = builder.Configuration.GetSection(HostingOptions.Section).Get<HostingOptions>() ?? new HostingOptions();
        var keys = builder.Services.AddDataProtection()
            .SetApplicationName(KeyRingName)
            .PersistKeysToDbContext<ReaderStudyDbContext>();
        if (!string.IsNullOrWhiteSpace(options.KeyCertificatePath) && File.Exists(options.KeyCertificatePath))
        {
            keys.ProtectKeysWithCertificate(X509CertificateLoader.LoadPkcs12FromFile(options.KeyCertificatePath, options.KeyCertificatePassword));
        }
        return builder;
    }

    /// <summary>Names this process in every response (Hosting:NodeName), for whoever traces a request through the proxy.</summary>
    public static WebApplication UseNodeName(this WebApplication app)
    {
        var name = app.Services.GetRequiredService<IOptions<HostingOptions>>().Value.NodeName;
        if (!string.IsNullOrWhiteSpace(name))
        {
            app.Use((context, next) =>
            {
                context.Response.Headers[NodeHeader] = name;
                return next(context);
            });
        }
        return app;
    }

    public const string NodeHeader = "X-ReaderStudy-Node";

    /// <summary>A worker answers every request but the health checks with 404 and says why, rather than a sign-in redirect.</summary>
    public static void MapWorkerRefusal(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapFallback(() => Results.NotFound("This portal process is a worker (Hosting:Role=Worker): it runs background jobs and serves no pages."))
            .AllowAnonymous();

    /// <summary>Whether this process serves pages and API (every role but "Worker").</summary>
    public static bool ServesPeople(this WebApplication app) =>
        app.Services.GetRequiredService<IOptions<HostingOptions>>().Value.ServesPeople;
}
