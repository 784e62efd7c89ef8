namespace ReaderStudy.Web.Features.Hosting;

/// <summary>The "OpenTelemetry" section: where traces and metrics go; nothing is exported unless OtlpEndpoint is set.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "OpenTelemetry";

    /// <summary>An OTLP collector, e.g. http://otel-collector:4318 (HTTP/protobuf) or :4317 with Protocol "grpc".</summary>
    public string? OtlpEndpoint { get; set; }

    public string Protocol { get; set; } = "http/protobuf";

    public string ServiceName { get; set; } = "readerstudy";

    public int MetricExportIntervalMilliseconds { get; set; } = 60_000;
}
