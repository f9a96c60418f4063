using Collector.Model;

namespace Collector.Ingestion.Reddit;

/// <summary>
/// What one subreddit produced of one kind since its checkpoint, oldest first. The checkpoint moves only
/// when the caller commits, after it has queued or parked the records: a crash before that fetches them
/// again (at least once), never loses them.
/// </summary>
public sealed class PollBatch
{
    private readonly ICheckpointStore _checkpoints;

    internal PollBatch(
        string subreddit,
        RedditItemKind kind,
        IReadOnlyList<SourceRecord> records,
        string? previousCheckpoint,
        string newCheckpoint,
        ICheckpointStore checkpoints)
    {
        Subreddit = subreddit;
        Kind = kind;
        Records = records;
        PreviousCheckpoint = previousCheckpoint;
        NewCheckpoint = newCheckpoint;
        _checkpoints = checkpoints;
    }

    public string Subreddit { get; }

    public RedditItemKind Kind { get; }

    /// <summary>
    /// Every new child, oldest first, as <see cref="IngestionPipeline.AcceptAsync"/> takes it: a mapped item
    /// (origin <c>api:{fullname}</c>), or a failure with the child's reason and, as its origin, the child's JSON
    /// as Reddit sent it, so the parked entry can be read and reprocessed.
    /// </summary>
    public IReadOnlyList<SourceRecord> Records { get; }

    /// <summary>The records that mapped to an item, oldest first.</summary>
    public IEnumerable<RedditItem> Items => Records.Select(record => record.Result.Item).OfType<RedditItem>();

    /// <summary>The checkpoint the batch starts after; null on a subreddit's first run.</summary>
    public string? PreviousCheckpoint { get; }

    /// <summary>The newest fullname in the batch: the checkpoint after <see cref="CommitAsync"/>.</summary>
    public string NewCheckpoint { get; }

    public string CheckpointKey => SubredditPoller.CheckpointKey(Subreddit, Kind);

    /// <summary>Marks the records as accepted. Commit batches of a subreddit and kind in the order they came.</summary>
    public Task CommitAsync(CancellationToken cancellationToken) =>
        _checkpoints.SetAsync(CheckpointKey, NewCheckpoint, cancellationToken);
}
