using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Scorer.Infrastructure;

/// <summary>
/// The Scorer's metrics and spans (meter and source <c>RedditSentiment.Scorer</c>), named for what
/// operators ask: requests and failures by model and status, texts, batch size, queue time, inference
/// time and queue depth, by model.
/// </summary>
public sealed class ScorerTelemetry : IDisposable
{
    public const string Name = "RedditSentiment.Scorer";

    public static readonly ActivitySource ActivitySource = new(Name);

    private readonly Meter _meter;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _texts;
    private readonly Counter<long> _dropped;
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _queueTime;
    private readonly Histogram<double> _inferenceTime;

    public ScorerTelemetry(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(Name);
        _requests = _meter.CreateCounter<long>("scorer.requests", "{request}", "Scoring calls by model and gRPC status.");
        _texts = _meter.CreateCounter<long>("scorer.texts", "{text}", "Texts scored by model.");
        _dropped = _meter.CreateCounter<long>("scorer.texts.dropped", "{text}", "Texts dropped before inference, by reason.");
        _batchSize = _meter.CreateHistogram<int>("scorer.batch.size", "{text}", "Texts per executed batch.",
            advice: new() { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512] });
        _queueTime = _meter.CreateHistogram<double>("scorer.queue.time", "s", "Time a text waited before its batch ran.",
            advice: new() { HistogramBucketBoundaries = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });
        _inferenceTime = _meter.CreateHistogram<double>("scorer.inference.time", "s", "Time to run one batch through the model.",
            advice: new() { HistogramBucketBoundaries = [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });
    }

    public void RecordRequest(string model, string status) =>
        _requests.Add(1, new("model", model), new("status", status));

    public void RecordBatch(string model, int size, TimeSpan inference)
    {
        var tag = new KeyValuePair<string, object?>("model", model);
        _texts.Add(size, tag);
        _batchSize.Record(size, tag);
        _inferenceTime.Record(inference.TotalSeconds, tag);
    }

    public void RecordQueueTime(string model, TimeSpan waited) =>
        _queueTime.Record(waited.TotalSeconds, new KeyValuePair<string, object?>("model", model));

    public void RecordDropped(string model, string reason, int count) =>
        _dropped.Add(count, new("model", model), new("reason", reason));

    /// <summary>Reports each model's queue depth whenever metrics are collected.</summary>
    public void ObserveQueueDepth(Func<IEnumerable<Measurement<int>>> observe) =>
        _meter.CreateObservableGauge("scorer.queue.depth", observe, "{text}", "Texts admitted and waiting for a batch.");

    public void Dispose() => _meter.Dispose();
}
