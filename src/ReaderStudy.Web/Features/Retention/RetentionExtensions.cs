using Hangfire;
using ReaderStudy.Web.Features.Accounts;
using ReaderStudy.Web.Features.Hosting;

namespace ReaderStudy.Web.Features.Retention;

public static class RetentionExtensions
{
    public const string DailyJob = "retention";

    public static WebApplicationBuilder AddReaderStudyRetention(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<RetentionOptions>(builder.Configuration.GetSection(RetentionOptions.Section));
        builder.Services.AddScoped<StudyRetention>();
        return builder;
    }

    /// <summary>Once a day on the processes that run jobs (one of them, through the shared queue), when a period is set.</summary>
    public static void ScheduleRetention(this WebApplication app)
    {
        var days = app.Configuration.GetSection(RetentionOptions.Section).Get<RetentionOptions>()?.ClosedStudyImagesDays;
        var hosting = app.Configuration.GetSection(HostingOptions.Section).Get<HostingOptions>() ?? new HostingOptions();
        if (!hosting.RunsJobs)
        {
            return;
        }
        var jobs = app.Services.GetRequiredService<IRecurringJobManager>();
        if (days is null)
        {
            jobs.RemoveIfExists(DailyJob);
            return;
        }
        jobs.AddOrUpdate<StudyRetention>(DailyJob, retention => retention.ApplyAsync(false, CancellationToken.None), Cron.Daily(3));
    }

    public static void MapRetentionApi(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost("/api/admin/retention", (StudyRetention retention, CancellationToken ct, bool dryRun = true) => retention.ApplyAsync(dryRun, ct))
            .RequireAuthorization(PortalPolicies.Administer);
}
