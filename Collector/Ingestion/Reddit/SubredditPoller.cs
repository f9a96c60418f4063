using System.Runtime.CompilerServices;
using Collector.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Collector.Ingestion.Reddit;

/// <summary>
/// Fetches what is new in each configured subreddit, posts from <c>/r/{sub}/new</c> and comments from
/// <c>/r/{sub}/comments</c>, since the checkpoint of that subreddit and kind.
/// </summary>
/// <remarks>
/// Both listings are newest first. On a first run (no checkpoint) one page is taken. Afterwards the poller
/// pages from the newest thing down with <c>after</c> until it meets the checkpoint or something older:
/// ids grow with creation, so "older" is decided by the id and still works when the checkpoint's own thing
/// has been deleted, which would make Reddit answer <c>before=checkpoint</c> with an empty page forever.
/// Things that arrive while paging are newer than the first page and come in the next pass; the
/// <c>after</c> anchors keep pages from overlapping. Reddit serves at most about 1000 things of a listing:
/// a backlog larger than that cannot be fetched, and the gap is logged. Children that did not map are not
/// dropped: they travel in the batch as failures with their reason and JSON, for the failed queue.
/// </remarks>
public sealed class SubredditPoller(
    RedditClient client,
    ICheckpointStore checkpoints,
    IOptions<RedditOptions> options,
    TimeProvider timeProvider,
    ILogger<SubredditPoller> logger)
{
    /// <summary>Ten pages of 100: all of a listing that Reddit serves.</summary>
    internal const int MaxPages = 10;

    private static readonly RedditItemKind[] Kinds = [RedditItemKind.Post, RedditItemKind.Comment];

    public static string CheckpointKey(string subreddit, RedditItemKind kind) =>
        RedisKeys.ListingCheckpoint(subreddit, kind == RedditItemKind.Post ? "posts" : "comments");

    public static string ListingPath(string subreddit, RedditItemKind kind) =>
        kind == RedditItemKind.Post ? $"/r/{subreddit}/new" : $"/r/{subreddit}/comments";

    /// <summary>
    /// Polls every <see cref="RedditOptions.PollInterval"/> until cancelled: each batch goes to
    /// <paramref name="accept"/>, and its checkpoint is committed once <paramref name="accept"/> has returned.
    /// A batch whose <paramref name="accept"/> throws is not committed and is fetched again next pass. Subreddits are
    /// polled side by side, each in its own lane of the rate limiter, so a subreddit paging through a backlog shares
    /// the budget with the others instead of making them wait for it.
    /// </summary>
    public async Task RunAsync(Func<PollBatch, CancellationToken, Task> accept, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accept);
        while (true)
        {
            await Task.WhenAll(options.Value.Subreddits.Select(subreddit => PollSubredditAsync(subreddit, accept, cancellationToken)));
            await Task.Delay(options.Value.PollInterval, timeProvider, cancellationToken);
        }
    }

    private async Task PollSubredditAsync(string subreddit, Func<PollBatch, CancellationToken, Task> accept, CancellationToken cancellationToken)
    {
        await foreach (var batch in PollSubredditOnceAsync(subreddit, cancellationToken))
        {
            try
            {
                await accept(batch, cancellationToken);
                await batch.CommitAsync(cancellationToken);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogError(
                    exception, "Batch of {Count} {Kind}s from r/{Subreddit} not committed; it will be fetched again",
                    batch.Records.Count, batch.Kind, batch.Subreddit);
            }
        }
    }

    /// <summary>
    /// One pass over every configured subreddit and kind, yielding the batches that have anything new. A subreddit
    /// that fails (private, banned, Reddit down past the retries) is logged and skipped until the next pass.
    /// </summary>
    public async IAsyncEnumerable<PollBatch> PollOnceAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var subreddit in options.Value.Subreddits)
        {
            await foreach (var batch in PollSubredditOnceAsync(subreddit, cancellationToken))
            {
                yield return batch;
            }
        }
    }

    /// <summary>One pass over a subreddit's kinds; a kind whose fetch fails is logged and skipped until the next pass.</summary>
    private async IAsyncEnumerable<PollBatch> PollSubredditOnceAsync(string subreddit, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var kind in Kinds)
        {
            PollBatch? batch;
            try
            {
                batch = await FetchNewAsync(subreddit, kind, cancellationToken);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogError(exception, "Polling r/{Subreddit} for {Kind}s failed; trying again next pass", subreddit, kind);
                continue;
            }

            if (batch is not null)
            {
                yield return batch;
            }
        }
    }

    /// <summary>What is new in one subreddit and kind since its checkpoint; null when nothing is.</summary>
    public async Task<PollBatch?> FetchNewAsync(string subreddit, RedditItemKind kind, CancellationToken cancellationToken)
    {
        var key = CheckpointKey(subreddit, kind);
        var checkpoint = await checkpoints.GetAsync(key, cancellationToken);
        long? checkpointOrdinal = null;
        if (checkpoint is not null)
        {
            if (Fullname.TryParse(checkpoint, out var checkpointKind, out var checkpointId)
                && checkpointKind == Fullname.KindPrefix(kind) && Fullname.TryGetOrdinal(checkpointId, out var ordinal))
            {
                checkpointOrdinal = ordinal;
            }
            else
            {
                logger.LogWarning("Ignoring malformed checkpoint {Checkpoint} of {Key}: starting afresh", checkpoint, key);
                checkpoint = null;
            }
        }

        var fresh = new List<FreshChild>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var reachedCheckpoint = false;
        long? listedAbove = null;
        var position = 0;
        var path = ListingPath(subreddit, kind);
        var query = ListingQuery.FirstPage;
        for (var page = 1; ; page++)
        {
            var listing = await client.GetListingAsync(path, query, cancellationToken, RequestLane.ListingOf(subreddit));
            foreach (var child in listing.Children)
            {
                position++;
                if (!TryGetOrdinal(child, kind, out var ordinal))
                {
                    // Without an id of the listing's kind a child cannot be placed against the checkpoint, and
                    // taking it whenever its page is read would park it again every pass. So it is taken only
                    // when a fresh child is listed above it: that child (or a newer one) becomes the checkpoint,
                    // and later passes stop before they reach this one. One at the very top waits until
                    // something newer is listed above it; it is taken again only if all listed above it are deleted.
                    if (listedAbove is { } above)
                    {
                        fresh.Add(new FreshChild(above, position, Placed: false, child));
                    }
                    else
                    {
                        logger.LogDebug(
                            "A {ThingKind} child without a usable fullname tops {Path}; it is taken once something newer is listed",
                            child.Kind, path);
                    }

                    continue;
                }

                if (ordinal <= checkpointOrdinal)
                {
                    reachedCheckpoint = true;
                    break;
                }

                if (seen.Add(child.Fullname!))
                {
                    fresh.Add(new FreshChild(ordinal, position, Placed: true, child));
                    listedAbove = ordinal;
                }
            }

            if (checkpoint is null || reachedCheckpoint)
            {
                break;
            }

            if (listing.After is null || listing.Children.Count == 0 || page == MaxPages)
            {
                logger.LogWarning(
                    "r/{Subreddit}: the listing ended after {Count} new {Kind}s without reaching checkpoint {Checkpoint}; " +
                    "anything older than Reddit still lists is missed",
                    subreddit, fresh.Count, kind, checkpoint);
                break;
            }

            query = ListingQuery.AfterThing(listing.After, count: seen.Count);
        }

        if (fresh.Count == 0)
        {
            return null;
        }

        // Oldest first; a child that could not be placed sorts just below the one listed above it.
        fresh.Sort((left, right) => left.Ordinal != right.Ordinal
            ? left.Ordinal.CompareTo(right.Ordinal)
            : right.Position.CompareTo(left.Position));
        var records = fresh.ConvertAll(child => ToRecord(child, kind));
        logger.LogInformation(
            "r/{Subreddit}: {Count} new {Kind}s after {Checkpoint}, {Unmapped} of them not mapped",
            subreddit, records.Count, kind, checkpoint ?? "(first run)", records.Count(record => !record.Result.IsSuccess));
        return new PollBatch(subreddit, kind, records, checkpoint, fresh.Last(child => child.Placed).Child.Fullname!, checkpoints);
    }

    private static bool TryGetOrdinal(ListingChild child, RedditItemKind kind, out long ordinal)
    {
        ordinal = 0;
        return Fullname.TryParse(child.Fullname, out var thingKind, out var id)
            && thingKind == Fullname.KindPrefix(kind) && Fullname.TryGetOrdinal(id, out ordinal);
    }

    /// <summary>A mapped child as its item; any other as a failure that keeps the child's JSON for the failed queue.</summary>
    private static SourceRecord ToRecord(FreshChild fresh, RedditItemKind kind) => fresh.Placed
        ? SourceRecords.From(fresh.Child)
        : SourceRecords.From(fresh.Child with { Item = null, SkipReason = fresh.Child.SkipReason ?? NoFullnameReason(fresh.Child, kind) });

    private static string NoFullnameReason(ListingChild child, RedditItemKind kind) =>
        $"{MappingReasons.NoFullname}: expected {Fullname.KindPrefix(kind)}_<id>, got {child.Fullname ?? "none"}";

    /// <param name="Ordinal">The child's id as a number; for one that could not be placed, that of the fresh child listed above it.</param>
    /// <param name="Position">Where it came in the listing, counted over every page (newest first).</param>
    private readonly record struct FreshChild(long Ordinal, int Position, bool Placed, ListingChild Child);
}
