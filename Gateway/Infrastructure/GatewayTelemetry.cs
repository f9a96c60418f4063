using System.Diagnostics.Metrics;
using Gateway.Services;

namespace Gateway.Infrastructure;

/// <summary>
/// The Gateway's own metrics (meter <c>RedditSentiment.Gateway</c>): the tracked keywords' latest z-scores,
/// <c>sentiment_keyword_shift_zscore{keyword, test="sentiment"|"volume"}</c> (only where the window has its minimum
/// of mentions), and <c>sentiment_keyword_alerts_total{keyword, kind}</c>, the shifts raised. The observability
/// kit's PrometheusRule watches both.
/// </summary>
public sealed class GatewayTelemetry : IDisposable
{
    public const string Name = "RedditSentiment.Gateway";

    private readonly Meter _meter;
    private readonly Counter<long> _alerts;
    private IReadOnlyList<KeywordEvaluation> _latest = [];

    public GatewayTelemetry(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(Name);
        _alerts = _meter.CreateCounter<long>("sentiment.keyword.alerts", "{alert}", "Shifts raised for tracked keywords, by keyword and kind.");
        _meter.CreateObservableGauge("sentiment.keyword.shift.zscore", ObserveShifts, description:
            "The latest z-score of each tracked keyword's window against its baseline: test=sentiment (net sentiment) or volume (mentions).");
    }

    /// <summary>The latest evaluation of every keyword, which the z-score gauge reports until the next.</summary>
    public void Evaluated(IReadOnlyList<KeywordEvaluation> evaluations) => _latest = evaluations;

    public void AlertRaised(string keyword, string kind) => _alerts.Add(1, new("keyword", keyword), new("kind", kind));

    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<double>> ObserveShifts()
    {
        foreach (var evaluation in _latest)
        {
            var keyword = new KeyValuePair<string, object?>("keyword", evaluation.Window.Label);
            if (evaluation.SentimentZ is { } sentiment)
            {
                yield return new Measurement<double>(sentiment, keyword, new("test", "sentiment"));
            }

            if (evaluation.VolumeZ is { } volume)
            {
                yield return new Measurement<double>(volume, keyword, new("test", "volume"));
            }
        }
    }
}
