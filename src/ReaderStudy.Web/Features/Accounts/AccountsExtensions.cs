using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Identity;
using ReaderStudy.Core.Accounts;
using ReaderStudy.Core.Auditing;
using Microsoft.EntityFrameworkCore;
using ReaderStudy.Core.Data;

namespace ReaderStudy.Web.Features.Accounts;

public static class AccountsExtensions
{
    public static WebApplicationBuilder AddReaderStudyAccounts(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddCascadingAuthenticationState();
        services.AddHttpContextAccessor();
        services.AddScoped<AuthenticationStateProvider, RevalidatingIdentityStateProvider>();
        services.AddScoped<CircuitUser>();
        services.AddScoped<CircuitHandler, CircuitUserHandler>();
        services.AddScoped<IAuditActor, PortalActor>();

        var authentication = services.AddAuthentication(options =>
        {
            options.DefaultScheme = IdentityConstants.ApplicationScheme;
            options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
        });
        authentication.AddIdentityCookies();
        AddHospitalSignIn(builder, authentication);

        services.AddPortalIdentity()
            .AddSignInManager()
            .AddDefaultTokenProviders();

        // An account deactivated, re-roled or given a new password stops working within a minute, not the default 30.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));
        services.ConfigureApplicationCookie(cookie =>
        {
            cookie.LoginPath = "/Account/Login";
            cookie.AccessDeniedPath = "/Account/AccessDenied";
            cookie.Cookie.Name = "ReaderStudy.Auth";
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.Cookie.HttpOnly = true;
            cookie.ExpireTimeSpan = TimeSpan.FromHours(10);
            cookie.SlidingExpiration = true;
            // An API caller gets a status code, not an HTML sign-in page.
            cookie.Events.OnRedirectToLogin = context => RedirectOrStatus(context.HttpContext, context.RedirectUri, StatusCodes.Status401Unauthorized);
            cookie.Events.OnRedirectToAccessDenied = async context =>
            {
                await AuditDeniedAsync(context.HttpContext);
                await RedirectOrStatus(context.HttpContext, context.RedirectUri, StatusCodes.Status403Forbidden);
            };
        });

        services.AddSingleton<SignInThrottle>();
        // Per address: generous, since a hospital's readers may all come from one NAT address.
        var signInsPerMinute = builder.Configuration.GetValue("RateLimits:SignInsPerMinute", 120);
        var uploadsPerMinute = builder.Configuration.GetValue("RateLimits:UploadsPerMinute", 120);
        services.AddRateLimiter(limits =>
        {
            limits.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // A body of its own, so no error page is put in its place.
            limits.OnRejected = (context, token) => new ValueTask(context.HttpContext.Response.WriteAsync(
                "Too many requests from this address; wait a minute and try again.", token));
            // Per client address: sign-in attempts and uploads, the two requests worth flooding.
            limits.AddPolicy(SignInRateLimit, context => System.Threading.RateLimiting.RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new System.Threading.RateLimiting.FixedWindowRateLimiterOptions { PermitLimit = signInsPerMinute, Window = TimeSpan.FromMinutes(1) }));
            limits.AddPolicy(UploadRateLimit, context => System.Threading.RateLimiting.RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new System.Threading.RateLimiting.FixedWindowRateLimiterOptions { PermitLimit = uploadsPerMinute, Window = TimeSpan.FromMinutes(1) }));
        });
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(PortalPolicies.Administer, p => p.RequireRole(PortalRoles.Admin))
            .AddPolicy(PortalPolicies.Coordinate, p => p.RequireRole(PortalRoles.Admin, PortalRoles.Coordinator))
            .AddPolicy(PortalPolicies.Analyse, p => p.RequireRole(PortalRoles.Admin, PortalRoles.Statistician, PortalRoles.Coordinator))
            .AddPolicy(PortalPolicies.Read, p => p.RequireRole(PortalRoles.Reader));
        return builder;
    }

    // Every refusal of a signed-in user is evidence of who tried what: an audit row, whatever the page or endpoint.
    private static async Task AuditDeniedAsync(HttpContext context)
    {
        var factory = context.RequestServices.GetRequiredService<IDbContextFactory<ReaderStudyDbContext>>();
        await using var db = await factory.CreateDbContextAsync(context.RequestAborted);
        var path = context.Request.Path.Value ?? "";
        db.Audit("access.denied", StudyIdIn(path), $"{context.Request.Method} {path[..Math.Min(path.Length, 500)]}");
        await db.SaveChangesAsync(context.RequestAborted);
    }

    private static Guid? StudyIdIn(string path)
    {
        var parts = path.Split('/');
        var at = Array.IndexOf(parts, "studies");
        return at >= 0 && at + 1 < parts.Length && Guid.TryParse(parts[at + 1], out var id) ? id : null;
    }

    public const string SignInRateLimit = "sign-in";
    public const string UploadRateLimit = "upload";

    private static Task RedirectOrStatus(HttpContext context, string redirectUri, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/health"))
        {
            context.Response.StatusCode = status;
        }
        else
        {
            context.Response.Redirect(redirectUri);
        }
        return Task.CompletedTask;
    }

    /// <summary>Hospital single sign-on through OpenID Connect, when Authentication:OpenIdConnect:Authority is set.</summary>
    private static void AddHospitalSignIn(WebApplicationBuilder builder, AuthenticationBuilder authentication)
    {
        var section = builder.Configuration.GetSection(HospitalSignInOptions.Section);
        builder.Services.Configure<HospitalSignInOptions>(section);
        var options = section.Get<HospitalSignInOptions>() ?? new HospitalSignInOptions();
        if (!options.IsConfigured)
        {
            return;
        }
        authentication.AddOpenIdConnect(HospitalSignInOptions.Scheme, options.DisplayName, oidc =>
        {
            oidc.Authority = options.Authority;
            oidc.ClientId = options.ClientId;
            oidc.ClientSecret = options.ClientSecret;
            oidc.ResponseType = "code";
            oidc.UsePkce = true;
            oidc.SignInScheme = IdentityConstants.ExternalScheme;
            oidc.Scope.Add("email");
            oidc.CallbackPath = "/signin-oidc";
            oidc.RequireHttpsMetadata = options.RequireHttpsMetadata;
            // Roles come from the portal's own accounts, never from the hospital's token.
            oidc.ClaimActions.DeleteClaim("role");
        });
    }
}
