using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ReaderStudy.IntegrationTests;

/// <summary>Walks every endpoint the portal maps, so a page or API added later cannot slip out unprotected.</summary>
public sealed class AnonymousAccessTests(SqlitePortal portal) : IClassFixture<SqlitePortal>
{
    // The only endpoints anyone may reach without signing in (besides static files).
    private static readonly string[] PublicRoutes =
    [
        "/Account/Login", "/Account/AccessDenied", "/Account/Lockout", "/Account/ExternalLogin",
        "/Account/ExternalLoginCallback", "/Account/Invitation/{Secret}", "/error", "/not-found", "/health/live", "/health/ready",
    ];

    private IReadOnlyList<RouteEndpoint> Endpoints() =>
        [.. portal.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()];

    private static bool IsStaticFile(RouteEndpoint e) =>
        e.RoutePattern.RawText is { } raw && (raw.StartsWith("_content/", StringComparison.Ordinal) || raw.StartsWith("_framework/", StringComparison.Ordinal)
            || Path.HasExtension(raw.Split('/').Last()));

    [Fact]
    public void AnonymousEndpoints_AreOnlyTheSignInPagesHealthAndStaticFiles()
    {
        var anonymous = Endpoints().Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is not null && !IsStaticFile(e))
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/')).Distinct().Order().ToList();

        Assert.Equal(PublicRoutes.Order(), anonymous);
    }

    [Fact]
    public async Task EveryProtectedEndpoint_RefusesOrRedirectsAnonymousCallers()
    {
        using var client = portal.NewClient();
        var checkedCount = 0;
        foreach (var endpoint in Endpoints().Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null && !IsStaticFile(e)))
        {
            var path = "/" + string.Join('/', endpoint.RoutePattern.PathSegments.Select(segment =>
                string.Concat(segment.Parts.Select(part => part switch
                {
                    Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
                    Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart p => p.ParameterPolicies.Any(x => x.Content == "guid") ? Guid.NewGuid().ToString() : "x",
                    _ => "",
                }))));
            var method = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.FirstOrDefault() ?? "GET";
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (method is "POST" or "PUT")
            {
                request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
            }
            using var response = await client.Http.SendAsync(request);

            if (path.StartsWith("/api/", StringComparison.Ordinal))
            {
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} gave {(int)response.StatusCode}, expected 401");
            }
            else
            {
                Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Unauthorized,
                    $"{method} {path} gave {(int)response.StatusCode}");
                if (response.StatusCode == HttpStatusCode.Redirect)
                {
                    Assert.Contains("/Account/Login", response.RedirectPath());
                }
            }
            checkedCount++;
        }
        Assert.True(checkedCount >= 15, $"only {checkedCount} protected endpoints were found");
    }
}
