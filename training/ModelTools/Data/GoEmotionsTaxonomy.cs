using System.Text.Json;
using Scorer.Models;

namespace ModelTools.Data;

/// <summary>Where an emotion falls in <c>sentiment_mapping.json</c>; <c>neutral</c> is its own group.</summary>
public enum EmotionGroup
{
    Negative,
    Neutral,
    Positive,
    Ambiguous,
}

/// <summary>Why a GoEmotions row has no three-way sentiment label.</summary>
public static class ExclusionReasons
{
    /// <summary>The row has an emotion of the <c>ambiguous</c> group (realization, surprise, curiosity, confusion).</summary>
    public const string Ambiguous = "ambiguous";

    /// <summary>The row's emotions fall in more than one of negative, neutral and positive.</summary>
    public const string Mixed = "mixed";
}

/// <summary>The outcome of mapping one row's emotions: a label, or the reason there is none.</summary>
public readonly record struct SentimentMappingResult(Sentiment? Label, string? ExclusionReason);

/// <summary>
/// GoEmotions' emotion ids (<c>emotions.txt</c>, line i = id i) and their sentiment groups
/// (<c>sentiment_mapping.json</c>: <c>{"positive": [...], "negative": [...], "ambiguous": [...]}</c>).
/// </summary>
public sealed class GoEmotionsTaxonomy
{
    public const string NeutralEmotion = "neutral";

    private readonly EmotionGroup[] _groupById;

    private GoEmotionsTaxonomy(IReadOnlyList<string> emotions, EmotionGroup[] groupById)
    {
        Emotions = emotions;
        _groupById = groupById;
    }

    /// <summary>Emotion names by id.</summary>
    public IReadOnlyList<string> Emotions { get; }

    public EmotionGroup GroupOf(int emotionId) => _groupById[emotionId];

    public static async Task<GoEmotionsTaxonomy> LoadAsync(
        string emotionsPath, string mappingPath, CancellationToken cancellationToken = default)
    {
        string emotions = await File.ReadAllTextAsync(emotionsPath, cancellationToken).ConfigureAwait(false);
        string mapping = await File.ReadAllTextAsync(mappingPath, cancellationToken).ConfigureAwait(false);
        return Parse(emotions, mapping);
    }

    /// <summary>
    /// Every emotion must be <c>neutral</c> or in exactly one group of the mapping, and the mapping may name
    /// only known emotions: a silently unmapped emotion would change the labels.
    /// </summary>
    public static GoEmotionsTaxonomy Parse(string emotionsText, string mappingJson)
    {
        string[] emotions = emotionsText
            .Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.Length > 0)
            .ToArray();
        if (emotions.Length == 0)
        {
            throw new FormatException("emotions.txt lists no emotions.");
        }

        var idByName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int id = 0; id < emotions.Length; id++)
        {
            if (!idByName.TryAdd(emotions[id], id))
            {
                throw new FormatException($"emotions.txt lists '{emotions[id]}' twice.");
            }
        }

        var groups = new EmotionGroup?[emotions.Length];
        if (idByName.TryGetValue(NeutralEmotion, out int neutralId))
        {
            groups[neutralId] = EmotionGroup.Neutral;
        }

        using (var document = JsonDocument.Parse(mappingJson))
        {
            foreach (JsonProperty group in document.RootElement.EnumerateObject())
            {
                EmotionGroup groupValue = group.Name switch
                {
                    "positive" => EmotionGroup.Positive,
                    "negative" => EmotionGroup.Negative,
                    "ambiguous" => EmotionGroup.Ambiguous,
                    _ => throw new FormatException($"sentiment_mapping.json has an unknown group '{group.Name}'."),
                };
                foreach (JsonElement member in group.Value.EnumerateArray())
                {
                    string name = member.GetString() ?? throw new FormatException($"Group '{group.Name}' has a null member.");
                    if (!idByName.TryGetValue(name, out int id))
                    {
                        throw new FormatException($"sentiment_mapping.json names '{name}', which emotions.txt does not list.");
                    }

                    if (groups[id] is { } existing)
                    {
                        throw new FormatException($"'{name}' is in both {existing} and {groupValue}.");
                    }

                    groups[id] = groupValue;
                }
            }
        }

        var unmapped = emotions.Where((_, id) => groups[id] is null).ToArray();
        if (unmapped.Length > 0)
        {
            throw new FormatException($"No sentiment group for: {string.Join(", ", unmapped)}.");
        }

        return new GoEmotionsTaxonomy(emotions, groups.Select(group => group!.Value).ToArray());
    }

    /// <summary>
    /// neutral = only the <c>neutral</c> emotion; positive / negative = every emotion in that group; any
    /// ambiguous emotion, or emotions from more than one group, leaves the row without a label. This is how
    /// <c>eval/goemotions-dev.tsv</c> was derived (4,547 of the 5,426 dev rows).
    /// </summary>
    public SentimentMappingResult Map(ReadOnlySpan<int> emotionIds)
    {
        if (emotionIds.IsEmpty)
        {
            throw new ArgumentException("A row has at least one emotion.", nameof(emotionIds));
        }

        EmotionGroup? single = null;
        bool mixed = false;
        foreach (int id in emotionIds)
        {
            EmotionGroup group = _groupById[id];
            if (group == EmotionGroup.Ambiguous)
            {
                return new SentimentMappingResult(null, ExclusionReasons.Ambiguous);
            }

            mixed |= single is { } seen && seen != group;
            single = group;
        }

        if (mixed)
        {
            return new SentimentMappingResult(null, ExclusionReasons.Mixed);
        }

        Sentiment label = single switch
        {
            EmotionGroup.Negative => Sentiment.Negative,
            EmotionGroup.Neutral => Sentiment.Neutral,
            _ => Sentiment.Positive,
        };
        return new SentimentMappingResult(label, null);
    }
}
