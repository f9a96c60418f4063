using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What every service of the platform shares: OpenTelemetry (OTLP when configured, Prometheus always),
/// liveness and readiness health endpoints, service discovery and standard resilience for outgoing HTTP.
/// </summary>
public static class Extensions
{
    public const string AlivePath = "/alive";
    public const string HealthPath = "/health";
    public const string MetricsPath = "/metrics";

    /// <summary>
    /// The port of a listener of its own for <c>/metrics</c> (the Kubernetes manifests set it, 9464, and bind it):
    /// when set, <c>/metrics</c> answers only there and that listener answers nothing but <c>/metrics</c>,
    /// <c>/health</c> and <c>/alive</c>, so the public ports (behind the ingress) never show the service's metrics.
    /// Unset (local runs): <c>/metrics</c> is on the service's own port.
    /// </summary>
    public const string MetricsPortKey = "Metrics:Port";

    /// <summary>Tag for checks that belong to liveness: the process itself, never its dependencies.</summary>
    public const string LiveTag = "live";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });

        return builder;
    }

    /// <summary>
    /// Metrics always (Prometheus scrapes <c>/metrics</c>); traces and OpenTelemetry logs only when an OTLP
    /// endpoint is configured: without an exporter nothing would read them, and recording a span for every
    /// request and formatting every log record for nobody costs the hot paths CPU.
    /// </summary>
    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var openTelemetry = builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(PlatformTelemetry.MeterNames)
                .AddPrometheusExporter());

        if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            return builder;
        }

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        openTelemetry
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddSource(PlatformTelemetry.ActivitySourceNames)
                .AddAspNetCoreInstrumentation(options =>
                    // Probes and scrapes would drown the traces operators actually look at.
                    options.Filter = context => !IsInfrastructurePath(context.Request.Path))
                .AddGrpcClientInstrumentation()
                .AddHttpClientInstrumentation())
            .UseOtlpExporter();

        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);

        return builder;
    }

    /// <summary>
    /// Maps <c>/alive</c>, <c>/health</c> and <c>/metrics</c> in every environment: the runbook and the
    /// Kubernetes probes call them in production too. Dependency checks are registered by each service's
    /// client integrations (Npgsql, Redis, ...) and count for readiness only. With <see cref="MetricsPortKey"/> set,
    /// <c>/metrics</c> moves to that listener (call this before the service maps its own endpoints).
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        if (app.Configuration.GetValue<int?>(MetricsPortKey) is { } metricsPort)
        {
            // By the port the request arrived on, not its Host header, which the caller writes.
            app.Use(async (context, next) =>
            {
                var onMetricsPort = context.Connection.LocalPort == metricsPort;
                if (onMetricsPort != context.Request.Path.StartsWithSegments(MetricsPath) && !(onMetricsPort && IsInfrastructurePath(context.Request.Path)))
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return;
                }

                await next(context);
            });
        }

        app.MapHealthChecks(HealthPath);
        app.MapHealthChecks(AlivePath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(LiveTag) });
        app.MapPrometheusScrapingEndpoint(MetricsPath);

        return app;
    }

    private static bool IsInfrastructurePath(PathString path) =>
        path.StartsWithSegments(HealthPath) || path.StartsWithSegments(AlivePath) || path.StartsWithSegments(MetricsPath);
}
