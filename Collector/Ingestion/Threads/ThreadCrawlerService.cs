using Collector.Ingestion.Reddit;
using Collector.Storage;
using Microsoft.Extensions.Options;

namespace Collector.Ingestion.Threads;

/// <summary>
/// Runs the <see cref="ThreadCrawler"/> every <see cref="ThreadOptions.CheckInterval"/> once the schema is in place;
/// with Redis or PostgreSQL away the schedule is still there when they are back.
/// </summary>
public sealed class ThreadCrawlerService(
    ThreadCrawler crawler, MigrationService migrations, IOptions<ThreadOptions> options, TimeProvider time, ILogger<ThreadCrawlerService> logger)
    : RecurringPassService(migrations, time, logger)
{
    protected override TimeSpan Interval => options.Value.CheckInterval;

    protected override string PassName => "Looking for due threads";

    protected override Task RunPassAsync(CancellationToken cancellationToken) => crawler.RunOnceAsync(cancellationToken);

    protected override void LogStart() => logger.LogInformation("Reading whole threads {ReadAfter} after their posts", options.Value.ReadAfter);
}
