using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Collector.Storage;

/// <summary>
/// Brings the schema up to date at start (the Collector is the one service that migrates) and keeps the
/// Collector unready until it has; retries while PostgreSQL is not reachable yet.
/// </summary>
public sealed class MigrationService(DatabaseMigrator migrator, ILogger<MigrationService> logger) : BackgroundService, IHealthCheck
{
    public const string HealthCheckName = "schema";

    private readonly TaskCompletionSource _migrated = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the schema is current; workers wait for it.</summary>
    public Task Migrated => _migrated.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var applied = await migrator.MigrateAsync(stoppingToken);
                logger.LogInformation("Schema is current ({Applied} migrations applied now)", applied);
                _migrated.TrySetResult();
                return;
            }
            catch (Exception error) when (error is Npgsql.NpgsqlException or TimeoutException && !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Cannot migrate yet ({Error}); retrying in {Delay}", error.Message, delay);
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(Migrated.IsCompletedSuccessfully
            ? HealthCheckResult.Healthy("The schema is current.")
            : HealthCheckResult.Unhealthy("The schema is being migrated."));
}
