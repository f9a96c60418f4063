using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Scorer.Services;

/// <summary>
/// Loads and warms every model once at start (lexicons parsed, sessions created, first inference run), and
/// keeps the Scorer unready until then: <c>/health</c> and <c>grpc.health.v1</c> answer NOT_SERVING, so
/// no traffic reaches a cold model.
/// </summary>
public sealed class ModelWarmup(SentimentScoringService scoring, ILogger<ModelWarmup> logger) : BackgroundService, IHealthCheck
{
    public const string HealthCheckName = "models";

    private static readonly string[] WarmupTexts = ["This is great!", "This is terrible.", "It is a text."];

    private volatile bool _ready;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var scheduler in scoring.Schedulers)
        {
            var started = TimeProvider.System.GetTimestamp();
            await scheduler.ScoreAsync(WarmupTexts, deadline: null, stoppingToken);
            logger.LogInformation("Model {Model} {Version} ready on {Device} after {Elapsed} ms",
                scheduler.Model.Name, scheduler.Model.Version, scheduler.Model.Device,
                (int)TimeProvider.System.GetElapsedTime(started).TotalMilliseconds);
        }

        _ready = true;
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_ready
            ? HealthCheckResult.Healthy("Models loaded and warmed up.")
            : HealthCheckResult.Unhealthy("Models are loading."));
}
