using Collector.Model;

namespace Collector.Ingestion.Reddit;

/// <summary>
/// What one subreddit produced of one kind since its checkpoint, oldest first. The checkpoint moves only
/// when the caller commits, after it has stored or queued the items: a crash before that fetches them
/// again (at least once), never loses them.
/// </summary>
public sealed class PollBatch
{
    private readonly ICheckpointStore _checkpoints;

    internal PollBatch(
        string subreddit,
        RedditItemKind kind,
        IReadOnlyList<RedditItem> items,
        string? previousCheckpoint,
        string newCheckpoint,
        ICheckpointStore checkpoints)
    {
        Subreddit = subreddit;
        Kind = kind;
        Items = items;
        PreviousCheckpoint = previousCheckpoint;
        NewCheckpoint = newCheckpoint;
        _checkpoints = checkpoints;
    }

    public string Subreddit { get; }

    public RedditItemKind Kind { get; }

    /// <summary>New items, oldest first; things that did not map are left out but still passed by the checkpoint.</summary>
    public IReadOnlyList<RedditItem> Items { get; }

    /// <summary>The checkpoint the batch starts after; null on a subreddit's first run.</summary>
    public string? PreviousCheckpoint { get; }

    /// <summary>The newest fullname in the batch: the checkpoint after <see cref="CommitAsync"/>.</summary>
    public string NewCheckpoint { get; }

    public string CheckpointKey => SubredditPoller.CheckpointKey(Subreddit, Kind);

    /// <summary>Marks the items as accepted. Commit batches of a subreddit and kind in the order they came.</summary>
    public Task CommitAsync(CancellationToken cancellationToken) =>
        _checkpoints.SetAsync(CheckpointKey, NewCheckpoint, cancellationToken);
}
