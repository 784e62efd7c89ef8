using Microsoft.AspNetCore.HttpOverrides;

namespace ReaderStudy.Web.Components;

/// <summary>
/// What every response carries so that a browser cannot be turned against a reader: no MIME sniffing, no referrer
/// leaving the portal, no framing, and a script policy without inline script (the viewer's bundle included).
/// Behind a TLS proxy the forwarded scheme makes the auth cookie Secure.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
        + "font-src 'self' data:; connect-src 'self' ws: wss:; worker-src 'self' blob:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

    public static WebApplicationBuilder AddReaderStudySecurity(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // The proxy in front of the portal is configured by the deployment (deploy/), not trusted by default.
            foreach (var proxy in builder.Configuration.GetSection("Proxy:KnownProxies").Get<string[]>() ?? [])
            {
                options.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
            }
        });
        // Malformed request bodies are answered 400 with a problem, never thrown as a 500 with a stack trace.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = false);
        builder.Services.AddExceptionHandler<BadRequestProblems>();
        return builder;
    }

    public static WebApplication UseReaderStudySecurityHeaders(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers.XFrameOptions = "DENY";
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            await next();
        });
        return app;
    }

    /// <summary>Unblinded data (the key, results, exports) is never kept by a browser or a proxy.</summary>
    public static RouteHandlerBuilder NoStore(this RouteHandlerBuilder endpoint) =>
        endpoint.AddEndpointFilter(async (context, next) =>
        {
            context.HttpContext.Response.Headers.CacheControl = "no-store, private";
            return await next(context);
        });
}
