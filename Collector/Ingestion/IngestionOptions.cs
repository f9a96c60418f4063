using System.ComponentModel.DataAnnotations;

namespace Collector.Ingestion;

/// <summary>Section <c>Collector:Ingestion</c>.</summary>
public sealed class IngestionOptions
{
    public const string SectionName = "Collector:Ingestion";

    /// <summary>
    /// Backpressure: while a queue holds more than this, producers wait, so a backfill cannot fill Redis's
    /// memory faster than the workers drain it.
    /// </summary>
    [Range(100, 100_000_000)]
    public long MaxBacklog { get; set; } = 200_000;

    public TimeSpan BacklogPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Records validated and queued together (one Redis round trip per queue).</summary>
    [Range(1, 100_000)]
    public int ChunkSize { get; set; } = 1000;
}
