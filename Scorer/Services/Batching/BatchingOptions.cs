using System.ComponentModel.DataAnnotations;

namespace Scorer.Services.Batching;

/// <summary>
/// Dynamic batching of one model (section <c>Scorer:Batching:{model}</c>), as in Triton's dynamic batcher:
/// a batch closes at <see cref="MaxBatchItems"/> texts, at <see cref="MaxBatchTokens"/> tokens, or when its
/// first text has waited <see cref="MaxQueueDelay"/>, whichever comes first.
/// </summary>
public sealed class BatchingOptions
{
    public const string SectionPrefix = "Scorer:Batching";

    [Range(1, 4096)]
    public int MaxBatchItems { get; set; } = 32;

    /// <summary>Upper bound of the summed token cost of a batch (one oversized text still runs alone).</summary>
    [Range(1, 10_000_000)]
    public int MaxBatchTokens { get; set; } = 8192;

    /// <summary>How long a batch may wait for more texts once it has one. Zero takes only what is queued.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:01")]
    public TimeSpan MaxQueueDelay { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>Texts admitted and not yet taken into a batch; beyond it callers get RESOURCE_EXHAUSTED at once.</summary>
    [Range(1, 10_000_000)]
    public int QueueCapacity { get; set; } = 4096;

    /// <summary>
    /// How many batches' worth of the queue's head the workers choose each batch from, sorted by length: the
    /// wider, the less padding (1 sorts within a batch only).
    /// </summary>
    [Range(1, 64)]
    public int SortWindowBatches { get; set; } = 4;

    /// <summary>
    /// The fixed cost of running one batch, in tokens of work, for a model that pads its batches: a window
    /// is cut where the padding saved outweighs the extra runs (see <see cref="BatchCutter"/>).
    /// </summary>
    [Range(0, 1_000_000)]
    public int BatchOverheadTokens { get; set; } = 8;

    /// <summary>Batches of this model run at once; by default what the model says it can use (its sessions, or cores).</summary>
    [Range(1, 256)]
    public int? Workers { get; set; }
}
