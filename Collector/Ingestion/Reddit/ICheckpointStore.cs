namespace Collector.Ingestion.Reddit;

/// <summary>
/// Where the poller keeps, per subreddit and kind, the newest fullname it has handed over (Redis in the
/// Collector; <see cref="InMemoryCheckpointStore"/> for tests and single runs).
/// </summary>
public interface ICheckpointStore
{
    Task<string?> GetAsync(string key, CancellationToken cancellationToken);

    Task SetAsync(string key, string value, CancellationToken cancellationToken);
}
