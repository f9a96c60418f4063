using System.ComponentModel.DataAnnotations;

namespace Collector.Workers;

/// <summary>
/// The scoring workers (section <c>Collector:Workers</c>). <c>BATCH_SIZE</c> and <c>MODEL_TYPE</c>, the
/// environment variables the runbook sets on the <c>sentiment-workers</c> deployment, override
/// <see cref="BatchSize"/> and <see cref="ModelType"/>.
/// </summary>
public sealed class WorkerOptions
{
    public const string SectionName = "Collector:Workers";

    /// <summary>Worker loops in this process; 0 runs none (an ingestion-only replica).</summary>
    [Range(0, 256)]
    public int Count { get; set; } = 2;

    [Range(1, 2048)]
    public int BatchSize { get; set; } = 64;

    /// <summary>The Scorer model: <c>fast</c> or <c>accurate</c>.</summary>
    [Required]
    [RegularExpression("^(fast|accurate)$", ErrorMessage = "MODEL_TYPE must be 'fast' or 'accurate'.")]
    public string ModelType { get; set; } = "fast";

    /// <summary>Scoring or storage attempts before an item goes to the failed queue.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>How long an idle worker waits before looking at the queues again.</summary>
    public TimeSpan IdleDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>A worker silent this long is presumed dead and its batch re-delivered.</summary>
    public TimeSpan HeartbeatTtl { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Backoff bounds while the Scorer or PostgreSQL is overloaded or down (items stay owned).</summary>
    public TimeSpan MinBackoff { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// The longest wait between retries (plus up to half of it as jitter): it is how late a worker may notice that
    /// a dependency is back, so it stays short; a retry costs one failed call.
    /// </summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(2);
}
