using Collector.Storage;
using Microsoft.Extensions.Options;

namespace Collector.Ingestion.Refresh;

/// <summary>Runs the <see cref="ItemRefresher"/> every <see cref="RefreshOptions.Interval"/> once the schema is in place.</summary>
public sealed class RefreshService(
    ItemRefresher refresher, MigrationService migrations, IOptions<RefreshOptions> options, TimeProvider time, ILogger<RefreshService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await migrations.Migrated.WaitAsync(stoppingToken);
        var settings = options.Value;
        logger.LogInformation("Refreshing items younger than {MaxAge} every {MinInterval} at most", settings.MaxAge, settings.MinInterval);
        while (true)
        {
            try
            {
                await refresher.RunOnceAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Refresh pass failed; trying again in {Interval}", settings.Interval);
            }

            await Task.Delay(settings.Interval, time, stoppingToken);
        }
    }
}
