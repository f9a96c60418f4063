using System.ComponentModel.DataAnnotations;

namespace Collector.Ingestion.Reddit;

/// <summary>
/// Whole threads (<c>Reddit:Threads</c>): each post the poller collects has its comment tree read once, after
/// <see cref="ReadAfter"/>, with its <c>more</c> links expanded, so comments the flat <c>/r/{sub}/comments</c>
/// listing never showed (it serves about the newest 1,000) are collected too.
/// </summary>
public sealed class ThreadOptions
{
    public const string SectionName = "Reddit:Threads";

    public bool Enabled { get; set; } = true;

    /// <summary>How long after a post's creation its thread is read: most of a conversation happens in its first hours.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan ReadAfter { get; set; } = TimeSpan.FromHours(3);

    /// <summary>Requests one thread may take (the tree, morechildren batches of 100, "continue this thread" subtrees).</summary>
    [Range(1, 1000)]
    public int MaxRequestsPerThread { get; set; } = 20;

    /// <summary>Pause between two looks at the threads that are due.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Threads read in one look at most; the rest wait for the next.</summary>
    [Range(1, 10_000)]
    public int MaxThreadsPerCheck { get; set; } = 50;

    /// <summary>How long a thread whose read failed waits before it is tried again.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromMinutes(10);
}
