using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Collector.Ingestion.Reddit;

/// <summary>
/// Reads a whole thread, as PRAW's <c>submission.comments.replace_more(limit=None)</c> does: the comment tree,
/// then what Reddit left out, <c>more</c> ids in morechildren batches of up to 100 and "continue this thread"
/// links as subtree reads, within <see cref="ThreadOptions.MaxRequestsPerThread"/> requests, all in the thread's
/// subreddit's <see cref="RequestLane"/> so other work keeps its share of the rate budget.
/// </summary>
public sealed class ThreadReader(RedditClient client, IOptions<ThreadOptions> options, ILogger<ThreadReader> logger)
{
    /// <param name="Post">The thread's post as Reddit serves it now.</param>
    /// <param name="Comments">Every comment read, each once, parents before replies where Reddit gave them so.</param>
    /// <param name="Requests">Requests spent.</param>
    /// <param name="Unread">Comments Reddit announced but the request cap left unread (from the <c>more</c> counts).</param>
    public sealed record Result(ListingChild? Post, IReadOnlyList<ListingChild> Comments, int Requests, int Unread);

    /// <param name="subreddit">The thread's subreddit, for its lane; null where unknown (the command line).</param>
    public async Task<Result> ReadAsync(string? subreddit, string postId, CancellationToken cancellationToken)
    {
        var lane = subreddit is null ? RequestLane.Default : RequestLane.ThreadOf(subreddit);
        var maxRequests = options.Value.MaxRequestsPerThread;
        var postFullname = Fullname.Of(Model.RedditItemKind.Post, postId);

        var tree = await client.GetThreadAsync(postId, null, cancellationToken, lane);
        var requests = 1;
        var comments = new List<ListingChild>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var links = new Queue<MoreComments>();
        var ids = new List<string>();
        Take(tree);

        while ((links.Count > 0 || ids.Count > 0) && requests < maxRequests)
        {
            // Ids gather from every more link first: a morechildren request carries up to 100 of them.
            if (links.TryPeek(out var link) && (ids.Count < ListingQuery.MaxLimit || link.IsContinueThisThread))
            {
                links.Dequeue();
                if (!link.IsContinueThisThread)
                {
                    ids.AddRange(link.ChildIds.Where(id => !seen.Contains(Fullname.Of(Model.RedditItemKind.Comment, id))));
                    continue;
                }

                if (Fullname.TryParse(link.ParentFullname, out var kind, out var parentId) && kind == Fullname.CommentKind)
                {
                    Take(await client.GetThreadAsync(postId, parentId, cancellationToken, lane));
                    requests++;
                }

                continue;
            }

            var batch = ids.Take(ListingQuery.MaxLimit).ToList();
            ids.RemoveRange(0, batch.Count);
            Take(await client.GetMoreChildrenAsync(postFullname, batch, cancellationToken, lane));
            requests++;
        }

        var unread = ids.Count + links.Sum(link => link.IsContinueThisThread ? Math.Max(1, link.Count) : link.ChildIds.Count);
        if (unread > 0)
        {
            logger.LogInformation(
                "Thread {Post} in r/{Subreddit}: {Unread} comments left unread after {Requests} requests (Reddit:Threads:MaxRequestsPerThread)",
                postFullname, subreddit, unread, requests);
        }

        return new Result(tree.Post, comments, requests, unread);

        void Take(CommentTree part)
        {
            foreach (var comment in part.Comments)
            {
                if (comment.Fullname is null || seen.Add(comment.Fullname))
                {
                    comments.Add(comment);
                }
            }

            foreach (var more in part.More)
            {
                links.Enqueue(more);
            }
        }
    }
}
