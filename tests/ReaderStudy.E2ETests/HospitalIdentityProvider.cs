using System.Net;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace ReaderStudy.E2ETests;

/// <summary>
/// A hospital's OpenID Connect identity provider for the tests: OpenIddict on a loopback Kestrel port, speaking the
/// real protocol (discovery, authorization code with PKCE, signed ID tokens). Its sign-in page asks only for an
/// email; whoever it signs in, it also claims the role "Admin", which the portal must ignore.
/// </summary>
public sealed class HospitalIdentityProvider : IAsyncDisposable
{
    public const string ClientId = "readerstudy";
    public const string ClientSecret = "hospital-client-secret";

    private readonly WebApplication app;
    private readonly string store;

    private HospitalIdentityProvider(WebApplication app, string store)
    {
        this.app = app;
        this.store = store;
    }

    public string Authority => app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/";

    public static async Task<HospitalIdentityProvider> StartAsync()
    {
        var store = Path.Combine(Directory.CreateTempSubdirectory("readerstudy-idp-").FullName, "idp.db");
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddDbContext<DbContext>(o => o.UseSqlite($"Data Source={store}").UseOpenIddict());
        builder.Services.AddOpenIddict()
            .AddCore(o => o.UseEntityFrameworkCore().UseDbContext<DbContext>())
            .AddServer(o =>
            {
                o.SetAuthorizationEndpointUris("connect/authorize").SetTokenEndpointUris("connect/token");
                o.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
                o.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
                o.RegisterScopes(Scopes.OpenId, Scopes.Email, Scopes.Profile);
                o.UseAspNetCore().EnableAuthorizationEndpointPassthrough().DisableTransportSecurityRequirement();
            });
        var app = builder.Build();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DbContext>().Database.EnsureCreatedAsync();
        }
        app.MapMethods("/connect/authorize", ["GET", "POST"], Authorize);
        await app.StartAsync();
        return new HospitalIdentityProvider(app, store);
    }

    /// <summary>Registers the portal as a client, with its sign-in callback.</summary>
    public async Task RegisterPortalAsync(string portalBaseUrl)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>().CreateAsync(new OpenIddictApplicationDescriptor
        {
            ClientId = ClientId,
            ClientSecret = ClientSecret,
            ClientType = ClientTypes.Confidential,
            RedirectUris = { new Uri(new Uri(portalBaseUrl), "/signin-oidc") },
            Permissions =
            {
                Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.GrantTypes.AuthorizationCode,
                Permissions.ResponseTypes.Code, Permissions.Prefixes.Scope + Scopes.Email, Permissions.Prefixes.Scope + Scopes.Profile,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        });
    }

    /// <summary>The hospital's sign-in page: a form asking for an email; posted back, it signs that person in.</summary>
    private static IResult Authorize(HttpContext context)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        var email = context.Request.HasFormContentType ? context.Request.Form["login_email"].ToString() : "";
        if (email.Length == 0)
        {
            var parameters = (context.Request.HasFormContentType ? context.Request.Form.AsEnumerable() : context.Request.Query.AsEnumerable())
                .Select(p => $"<input type=\"hidden\" name=\"{WebUtility.HtmlEncode(p.Key)}\" value=\"{WebUtility.HtmlEncode(p.Value.ToString())}\" />");
            var page = new StringBuilder("<!doctype html><title>Hospital sign-in</title><h1>Hospital sign-in</h1><form method=\"post\" action=\"/connect/authorize\">")
                .AppendJoin("", parameters)
                .Append("<label>Hospital email <input id=\"hospital-email\" name=\"login_email\" /></label><button id=\"hospital-sign-in\" type=\"submit\">Sign in</button></form>");
            return Results.Content(page.ToString(), "text/html");
        }
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.AddClaim(new Claim(Claims.Subject, $"hospital-{email}"));
        identity.AddClaim(new Claim(Claims.Email, email));
        identity.AddClaim(new Claim(Claims.Name, email));
        identity.AddClaim(new Claim(Claims.Role, "Admin"));
        identity.SetScopes(request.GetScopes());
        identity.SetDestinations(_ => [Destinations.IdentityToken, Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        try { Directory.Delete(Path.GetDirectoryName(store)!, recursive: true); } catch (IOException) { }
    }
}
