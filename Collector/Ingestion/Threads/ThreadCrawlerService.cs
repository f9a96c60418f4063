using Collector.Ingestion.Reddit;
using Collector.Storage;
using Microsoft.Extensions.Options;

namespace Collector.Ingestion.Threads;

/// <summary>Runs the <see cref="ThreadCrawler"/> every <see cref="ThreadOptions.CheckInterval"/> once the schema is in place.</summary>
public sealed class ThreadCrawlerService(
    ThreadCrawler crawler, MigrationService migrations, IOptions<ThreadOptions> options, TimeProvider time, ILogger<ThreadCrawlerService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await migrations.Migrated.WaitAsync(stoppingToken);
        logger.LogInformation("Reading whole threads {ReadAfter} after their posts", options.Value.ReadAfter);
        while (true)
        {
            try
            {
                await crawler.RunOnceAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // Redis or PostgreSQL away: the schedule is still there when they are back.
                logger.LogWarning(exception, "Looking for due threads failed; trying again in {Interval}", options.Value.CheckInterval);
            }

            await Task.Delay(options.Value.CheckInterval, time, stoppingToken);
        }
    }
}
