using Serilog;
using Serilog.Formatting.Compact;

namespace ReaderStudy.Web.Components;

public static class LoggingExtensions
{
    /// <summary>Structured logs: readable lines in development, one JSON object per line elsewhere (for log collectors).</summary>
    public static WebApplicationBuilder AddReaderStudyLogging(this WebApplicationBuilder builder)
    {
        builder.Services.AddSerilog((services, logger) =>
        {
            logger.ReadFrom.Configuration(builder.Configuration).Enrich.FromLogContext();
            if (builder.Environment.IsDevelopment() || builder.Environment.IsEnvironment("Demo"))
            {
                logger.WriteTo.Console();
            }
            else
            {
                logger.WriteTo.Console(new RenderedCompactJsonFormatter());
            }
        });
        return builder;
    }
}
