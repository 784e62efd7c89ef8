using Microsoft.AspNetCore.HttpOverrides;

namespace ReaderStudy.Web.Components;

/// <summary>
/// What every response carries so that a browser cannot be turned against a reader: no MIME sniffing, no referrer
/// leaving the portal, no framing, and a script policy without inline script (the viewer's bundle included).
/// Behind a TLS proxy the forwarded scheme makes the auth cookie Secure.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>
    /// The policy every page gets. Forms post to the portal only, and to the hospital's sign-in provider when one is
    /// set: browsers apply form-action to the redirect that follows a post, and the hospital sign-in button's post
    /// is answered by a redirect to the provider.
    /// </summary>
    public static string ContentSecurityPolicyFor(string? signInProviderOrigin) =>
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
        + "font-src 'self' data:; connect-src 'self' ws: wss:; worker-src 'self' blob:; frame-ancestors 'none'; base-uri 'self'; "
        + $"form-action 'self'{(string.IsNullOrEmpty(signInProviderOrigin) ? "" : " " + signInProviderOrigin)}";

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
        var hospitalSignIn = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Features.Accounts.HospitalSignInOptions>>().Value;
        var contentSecurityPolicy = ContentSecurityPolicyFor(hospitalSignIn.IsConfigured ? new Uri(hospitalSignIn.Authority).GetLeftPart(UriPartial.Authority) : null);
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers.XFrameOptions = "DENY";
            headers.ContentSecurityPolicy = contentSecurityPolicy;
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
