using Microsoft.AspNetCore.Antiforgery;

namespace ReaderStudy.Web.Components;

/// <summary>
/// Cookie-authenticated API calls that change something carry an antiforgery token in a header, so another site
/// cannot make a signed-in reader's browser post answers or uploads. The portal's own pages render the token in a
/// meta tag for their scripts; API clients get it from GET /api/antiforgery after signing in.
/// </summary>
public static class ApiAntiforgery
{
    public const string Header = "X-CSRF-TOKEN";

    public static WebApplicationBuilder AddReaderStudyApiAntiforgery(this WebApplicationBuilder builder)
    {
        builder.Services.AddAntiforgery(options => options.HeaderName = Header);
        return builder;
    }

    public static WebApplication UseApiAntiforgery(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var request = context.Request;
            if (request.Path.StartsWithSegments("/api") && context.User.Identity?.IsAuthenticated == true
                && !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)))
            {
                // The header is required: a missing one is refused before an upload's body is read.
                var valid = request.Headers.ContainsKey(Header) && await context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context);
                if (!valid)
                {
                    context.Response.StatusCode = StatusCodes.Status400BadRequest;
                    await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                    {
                        HttpContext = context,
                        ProblemDetails = { Title = "Missing or invalid antiforgery token", Status = 400, Detail = $"Send the {Header} header with the token from GET /api/antiforgery (signed in)." },
                    });
                    return;
                }
            }
            await next();
        });
        return app;
    }

    public static void MapApiAntiforgery(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/api/antiforgery", (IAntiforgery antiforgery, HttpContext context) =>
            Results.Ok(new { header = Header, token = antiforgery.GetAndStoreTokens(context).RequestToken })).RequireAuthorization();
}
