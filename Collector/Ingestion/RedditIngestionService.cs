using Collector.Ingestion.Reddit;
using Collector.Storage;

namespace Collector.Ingestion;

/// <summary>
/// Live ingestion: polls the configured subreddits through the Reddit API and feeds what is new into the
/// <see cref="IngestionPipeline"/>. A batch's checkpoint moves only after its items are queued.
/// </summary>
public sealed class RedditIngestionService(SubredditPoller poller, IngestionPipeline pipeline, MigrationService migrations,
    ILogger<RedditIngestionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await migrations.Migrated.WaitAsync(stoppingToken);
        logger.LogInformation("Polling the Reddit API for new posts and comments");
        await poller.RunAsync(async (batch, ct) =>
        {
            var records = batch.Items.Select(item => new SourceRecord(MappingResult.Success(item), $"api:{item.FullName}")).ToList();
            var result = await pipeline.AcceptAsync(records, $"api:r/{batch.Subreddit}", ct);
            logger.LogInformation("r/{Subreddit}: {Queued} new {Kind}s queued, {Invalid} parked",
                batch.Subreddit, result.Queued, batch.Kind, result.Invalid);
        }, stoppingToken);
    }
}
