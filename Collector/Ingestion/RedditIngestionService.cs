using Collector.Ingestion.Reddit;
using Collector.Ingestion.Threads;
using Microsoft.Extensions.Options;
using Collector.Storage;

namespace Collector.Ingestion;

/// <summary>
/// Live ingestion: polls the configured subreddits through the Reddit API and feeds what is new into the
/// <see cref="IngestionPipeline"/>: items are queued, children that did not map are parked with their reason
/// and JSON, and each post's thread is scheduled to be read whole (<see cref="ThreadCrawler"/>). A batch's
/// checkpoint moves only after the pipeline has taken all of it.
/// </summary>
public sealed class RedditIngestionService(SubredditPoller poller, IngestionPipeline pipeline, MigrationService migrations,
    ThreadSchedule threads, IOptions<ThreadOptions> threadOptions, ILogger<RedditIngestionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await migrations.Migrated.WaitAsync(stoppingToken);
        logger.LogInformation("Polling the Reddit API for new posts and comments");
        await poller.RunAsync(AcceptAsync, stoppingToken);
    }

    /// <summary>What the service does with each batch the poller brings, before the poller commits its checkpoint.</summary>
    public async Task AcceptAsync(PollBatch batch, CancellationToken cancellationToken)
    {
        var result = await pipeline.AcceptAsync(batch.Records, $"api:r/{batch.Subreddit}", cancellationToken);
        logger.LogInformation("r/{Subreddit}: {Queued} new {Kind}s queued, {Invalid} parked",
            batch.Subreddit, result.Queued, batch.Kind, result.Invalid);
        if (threadOptions.Value.Enabled)
        {
            // Before the checkpoint moves: a crash in between fetches the batch again and schedules it again.
            await threads.AddAsync(batch.Items, threadOptions.Value.ReadAfter);
        }
    }
}
