using Collector.Ingestion;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Collector.Infrastructure;

/// <summary>The Collector's metrics and spans (meter and source <c>RedditSentiment.Collector</c>).</summary>
public sealed class CollectorTelemetry : IDisposable
{
    public const string Name = "RedditSentiment.Collector";

    public static readonly ActivitySource ActivitySource = new(Name);

    private readonly Meter _meter;
    private readonly Counter<long> _ingested;
    private readonly Counter<long> _invalid;
    private readonly Counter<long> _processed;
    private readonly Counter<long> _failed;
    private readonly Histogram<double> _batchDuration;
    private readonly ConcurrentDictionary<string, long> _queueLengths = new();

    public CollectorTelemetry(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(Name);
        _ingested = _meter.CreateCounter<long>("collector.items.ingested", "{item}", "Valid items queued, by source and kind.");
        _invalid = _meter.CreateCounter<long>("collector.items.invalid", "{item}", "Records rejected by validation, by reason.");
        _processed = _meter.CreateCounter<long>("collector.items.processed", "{item}", "Items scored and stored, by model.");
        _failed = _meter.CreateCounter<long>("collector.items.failed", "{item}", "Items parked in the failed queue, by stage.");
        _batchDuration = _meter.CreateHistogram<double>("collector.batch.duration", "s", "Take, score and store one worker batch.",
            advice: new() { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        _meter.CreateObservableGauge("collector.queue.length",
            () => _queueLengths.Select(q => new Measurement<long>(q.Value, new KeyValuePair<string, object?>("queue", q.Key))),
            "{item}", "Length of each Redis queue (sampled).");
    }

    public void Ingested(string source, string kind, int count) => _ingested.Add(count, new("source", source), new("kind", kind));

    /// <summary>Counts by the reason's code (the part before the colon), keeping the label set small.</summary>
    public void Invalid(string reason) => _invalid.Add(1, new KeyValuePair<string, object?>("reason", ReasonCode(reason)));

    public void Processed(string model, int count) => _processed.Add(count, new KeyValuePair<string, object?>("model", model));

    public void Failed(string stage, string reason) => _failed.Add(1, new("stage", stage), new("reason", ReasonCode(reason)));

    public void BatchDone(TimeSpan duration) => _batchDuration.Record(duration.TotalSeconds);

    public void QueueLengths(IReadOnlyDictionary<string, long> lengths)
    {
        foreach (var (queue, length) in lengths)
        {
            _queueLengths[queue] = length;
        }
    }

    public static string ReasonCode(string reason) => MappingReasons.CodeOf(reason).Trim();

    public void Dispose() => _meter.Dispose();
}
