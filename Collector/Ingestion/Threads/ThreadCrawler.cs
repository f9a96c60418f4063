using System.Net;
using Collector.Ingestion.Reddit;
using Collector.Storage;
using Microsoft.Extensions.Options;

namespace Collector.Ingestion.Threads;

/// <summary>
/// Reads the threads that are due (<see cref="ThreadSchedule"/>) whole (<see cref="ThreadReader"/>) and feeds their
/// comments into the <see cref="IngestionPipeline"/>: only those not stored yet or edited since, so a comment the
/// flat listing already brought is not scored twice. Subreddits take turns, so one busy subreddit's threads do not
/// hold back the others'.
/// </summary>
public sealed class ThreadCrawler(
    ThreadSchedule schedule,
    ThreadReader reader,
    ItemRefreshStore store,
    IngestionPipeline pipeline,
    IOptions<ThreadOptions> options,
    TimeProvider time,
    ILogger<ThreadCrawler> logger)
{
    /// <param name="Threads">Threads read.</param>
    /// <param name="Queued">Comments queued for scoring (new or edited).</param>
    /// <param name="Known">Comments read that were stored already, unchanged.</param>
    /// <param name="Failed">Threads whose read failed, postponed by <see cref="ThreadOptions.RetryAfter"/>.</param>
    public sealed record Pass(int Threads, int Queued, int Known, int Failed);

    public async Task<Pass> RunOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var due = await schedule.DueAsync(time.GetUtcNow(), settings.MaxThreadsPerCheck);
        int threads = 0, queued = 0, known = 0, failed = 0;
        foreach (var thread in InTurns(due))
        {
            try
            {
                var read = await reader.ReadAsync(thread.Subreddit, thread.PostId, cancellationToken);
                var stored = await store.CommentBodiesAsync(thread.PostId, cancellationToken);
                var records = new List<SourceRecord>(read.Comments.Count);
                foreach (var comment in read.Comments)
                {
                    if (comment.Item is { } item && stored.TryGetValue(item.Id, out var body) && body == StorableText.Clean(item.Body))
                    {
                        known++;
                        continue;
                    }

                    records.Add(SourceRecords.From(comment));
                }

                if (records.Count > 0)
                {
                    var accepted = await pipeline.AcceptAsync(records, $"api:thread:r/{thread.Subreddit}", cancellationToken);
                    queued += accepted.Queued;
                }

                await schedule.DoneAsync(thread);
                threads++;
            }
            catch (RedditApiException gone) when (gone.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden or HttpStatusCode.Gone)
            {
                // Deleted, private or quarantined since: reading it again would get the same answer.
                logger.LogInformation("Thread {Post} of r/{Subreddit} is no longer readable ({Reason}); dropped from the schedule",
                    thread.PostId, thread.Subreddit, gone.Message);
                await schedule.DoneAsync(thread);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                failed++;
                logger.LogWarning(exception, "Reading thread {Post} of r/{Subreddit} failed; trying again in {RetryAfter}",
                    thread.PostId, thread.Subreddit, settings.RetryAfter);
                await schedule.PostponeAsync(thread, time.GetUtcNow() + settings.RetryAfter);
            }
        }

        if (due.Count > 0)
        {
            logger.LogInformation("Threads: {Threads} read, {Queued} comments queued, {Known} already stored, {Failed} failed",
                threads, queued, known, failed);
        }

        return new Pass(threads, queued, known, failed);
    }

    /// <summary>The due threads with their subreddits taking turns, each subreddit's in due order.</summary>
    internal static IEnumerable<DueThread> InTurns(IReadOnlyList<DueThread> due)
    {
        var bySubreddit = due.GroupBy(thread => thread.Subreddit, StringComparer.OrdinalIgnoreCase)
            .Select(group => new Queue<DueThread>(group)).ToList();
        while (bySubreddit.Count > 0)
        {
            foreach (var queue in bySubreddit)
            {
                yield return queue.Dequeue();
            }

            bySubreddit.RemoveAll(queue => queue.Count == 0);
        }
    }
}
