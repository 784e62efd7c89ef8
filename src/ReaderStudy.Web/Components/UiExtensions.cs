using MudBlazor.Services;

namespace ReaderStudy.Web.Components;

public static class UiExtensions
{
    public static WebApplicationBuilder AddReaderStudyUi(this WebApplicationBuilder builder)
    {
        if (builder.Environment.IsEnvironment("Demo"))
        {
            // The demo runs from the source tree (dotnet run) without the developer error pages: the packages'
            // static files (MudBlazor's) are served from where NuGet keeps them, as in Development.
            builder.WebHost.UseStaticWebAssets();
        }
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        // API callers read "Open" and "Mese", not 1 and 2.
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
            // A statistic that is undefined for the data (a CI from three cases) is sent as "NaN", not an error.
            json.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals;
        });
        return builder;
    }

    public static WebApplication UseReaderStudyPipeline(this WebApplication app)
    {
        app.UseReaderStudySecurityHeaders();
        app.UseExceptionHandler("/error", createScopeForErrors: true);
        // An API error without a body (a malformed request, a 404) gets a problem-details body, never a stack trace.
        app.UseWhen(context => IsMachineFacing(context.Request.Path), api => api.UseStatusCodePages());
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }
        // Pages get a friendly "not found"; API and health callers keep their bare status codes.
        app.UseWhen(context => !IsMachineFacing(context.Request.Path),
            pages => pages.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseApiAntiforgery();
        app.UseAntiforgery();
        return app;
    }

    private static bool IsMachineFacing(PathString path) =>
        path.StartsWithSegments("/api") || path.StartsWithSegments("/health");

    public static WebApplication MapReaderStudyUi(this WebApplication app)
    {
        // Stylesheets, scripts and fonts are public: the sign-in page needs them before anyone signs in.
        app.MapStaticAssets().AllowAnonymous();
        app.MapApiAntiforgery();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
