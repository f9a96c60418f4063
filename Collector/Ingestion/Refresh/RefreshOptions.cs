using System.ComponentModel.DataAnnotations;

namespace Collector.Ingestion.Refresh;

/// <summary>
/// Fresh scores and edits (<c>Reddit:Refresh</c>): items younger than <see cref="MaxAge"/> are read again through
/// <c>/api/info</c> (100 a request) at most every <see cref="MinInterval"/>: their Reddit score is updated, an edited
/// text is scored again, a deletion or removal is recorded (the text and sentiment collected stay).
/// </summary>
public sealed class RefreshOptions
{
    public const string SectionName = "Reddit:Refresh";

    public bool Enabled { get; set; } = true;

    /// <summary>Pause between two refresh passes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Items older than this (by creation) are no longer refreshed: votes and edits settle within days.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(2);

    /// <summary>An item is read again at most this often.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan MinInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Items read in one pass at most (each 100 is one request); the longest unrefreshed go first.</summary>
    [Range(1, 100_000)]
    public int MaxItemsPerPass { get; set; } = 2_000;
}
