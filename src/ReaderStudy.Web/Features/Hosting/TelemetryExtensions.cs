using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ReaderStudy.Web.Features.Hosting;

/// <summary>OpenTelemetry traces (requests, outgoing HTTP, PostgreSQL commands) and metrics, exported over OTLP by configuration.</summary>
public static class TelemetryExtensions
{
    public static WebApplicationBuilder AddReaderStudyTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<PortalMetrics>();
        var options = builder.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        if (string.IsNullOrWhiteSpace(options.OtlpEndpoint))
        {
            return builder;
        }
        var protocol = options.Protocol == "grpc" ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
        var node = builder.Configuration[$"{HostingOptions.Section}:NodeName"] ?? Environment.MachineName;
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(options.ServiceName, serviceInstanceId: node))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(o => o.EnrichWithHttpRequest = (activity, request) =>
                {
                    // An invitation link's secret is a password until used: traces keep the route, not the secret.
                    if (request.Path.StartsWithSegments("/Account/Invitation"))
                    {
                        activity.SetTag("url.path", "/Account/Invitation/{Secret}");
                    }
                })
                .AddHttpClientInstrumentation()
                .AddSource("Npgsql")
                .AddOtlpExporter(o => Point(o, options, "v1/traces", protocol)))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddMeter(PortalMetrics.MeterName)
                .AddOtlpExporter((o, reader) =>
                {
                    Point(o, options, "v1/metrics", protocol);
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = options.MetricExportIntervalMilliseconds;
                }));
        return builder;
    }

    // With HTTP/protobuf an endpoint set in code is used as given, so each signal gets its own path.
    private static void Point(OtlpExporterOptions exporter, TelemetryOptions options, string path, OtlpExportProtocol protocol)
    {
        exporter.Protocol = protocol;
        var root = options.OtlpEndpoint!.TrimEnd('/');
        exporter.Endpoint = new Uri(protocol == OtlpExportProtocol.HttpProtobuf ? $"{root}/{path}" : root);
    }
}
