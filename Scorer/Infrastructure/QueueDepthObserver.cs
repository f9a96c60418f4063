using System.Diagnostics.Metrics;
using Scorer.Services;

namespace Scorer.Infrastructure;

/// <summary>Publishes each model's queue depth as the <c>scorer.queue.depth</c> gauge.</summary>
public sealed class QueueDepthObserver(ScorerTelemetry telemetry, SentimentScoringService scoring)
{
    public void Start() => telemetry.ObserveQueueDepth(() =>
        scoring.Schedulers.Select(s => new Measurement<int>(s.QueuedTexts, new KeyValuePair<string, object?>("model", s.Model.Name))));
}
