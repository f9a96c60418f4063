using System.Text;
using Microsoft.Extensions.Options;
using Scorer.Models;
using Scorer.Services.Batching;

namespace Scorer.Services;

/// <summary>
/// Scores texts with a named model through that model's batch scheduler. Blank texts are neutral by
/// definition and never reach a model (a transformer would make up a verdict for them).
/// </summary>
public sealed class SentimentScoringService(IEnumerable<BatchScheduler> schedulers, IOptions<ScoringLimits> limits)
{
    private readonly Dictionary<string, BatchScheduler> _schedulers =
        schedulers.ToDictionary(s => s.Model.Name, StringComparer.OrdinalIgnoreCase);
    private readonly ScoringLimits _limits = limits.Value;

    public IEnumerable<BatchScheduler> Schedulers => _schedulers.Values;

    public string DefaultModel => _limits.DefaultModel;

    /// <summary>Checks a call against the limits; returns the reason it is invalid, or null.</summary>
    public string? Validate(string? model, IReadOnlyList<string> texts, out BatchScheduler? scheduler)
    {
        var name = string.IsNullOrEmpty(model) ? _limits.DefaultModel : model;
        if (!_schedulers.TryGetValue(name, out scheduler))
        {
            return $"Unknown model '{name}'; available: {string.Join(", ", _schedulers.Keys)}.";
        }

        if (texts.Count == 0)
        {
            return "The request has no items.";
        }

        if (texts.Count > _limits.MaxItemsPerRequest)
        {
            return $"The request has {texts.Count} items; at most {_limits.MaxItemsPerRequest} are allowed per call.";
        }

        for (var i = 0; i < texts.Count; i++)
        {
            var bytes = Encoding.UTF8.GetByteCount(texts[i]);
            if (bytes > _limits.MaxTextBytes)
            {
                return $"Item {i} is {bytes} bytes of UTF-8; at most {_limits.MaxTextBytes} are allowed.";
            }
        }

        return null;
    }

    public async Task<SentimentPrediction[]> ScoreAsync(
        BatchScheduler scheduler, IReadOnlyList<string> texts, DateTimeOffset? deadline, CancellationToken cancellationToken)
    {
        var scored = new List<int>(texts.Count);
        for (var i = 0; i < texts.Count; i++)
        {
            if (!string.IsNullOrWhiteSpace(texts[i]))
            {
                scored.Add(i);
            }
        }

        if (scored.Count == texts.Count)
        {
            return await scheduler.ScoreAsync(texts, deadline, cancellationToken).ConfigureAwait(false);
        }

        var results = new SentimentPrediction[texts.Count];
        Array.Fill(results, SentimentPrediction.Blank);
        if (scored.Count > 0)
        {
            var predictions = await scheduler.ScoreAsync(scored.ConvertAll(i => texts[i]), deadline, cancellationToken)
                .ConfigureAwait(false);
            for (var j = 0; j < scored.Count; j++)
            {
                results[scored[j]] = predictions[j];
            }
        }

        return results;
    }
}
