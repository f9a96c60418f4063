using System.Text.Json;
using System.Text.Json.Serialization;
using Collector.Model;

namespace Collector.Queues;

/// <summary>
/// One queue entry (JSON): the item with its delivery history. Failed entries are the same envelope with
/// <see cref="Reason"/> set, so moving one from <c>reddit:failed:queue</c> to <c>reddit:reprocess:queue</c>
/// needs no conversion. A record that could not be parsed into an item keeps its <see cref="Raw"/> text.
/// </summary>
public sealed record QueueEnvelope
{
    public RedditItem? Item { get; init; }

    /// <summary>The original record when it never became an item (malformed or invalid input).</summary>
    public string? Raw { get; init; }

    /// <summary>Where it came from: <c>api:r/{sub}</c>, <c>dump:{file}</c>, ...</summary>
    public required string Source { get; init; }

    /// <summary>Failed scoring or storage attempts so far.</summary>
    public int Attempts { get; init; }

    public DateTimeOffset EnqueuedAt { get; init; }

    /// <summary>Why it failed (a short code, a colon, details): set on failed entries only.</summary>
    public string? Reason { get; init; }

    /// <summary><c>validation</c>, <c>malformed</c>, <c>scoring</c> or <c>storage</c>: set on failed entries only.</summary>
    public string? Stage { get; init; }

    public DateTimeOffset? FailedAt { get; init; }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public string Serialize() => JsonSerializer.Serialize(this, Json);

    /// <summary>Parses an entry; null when it is not an envelope (a hand-pushed or corrupted value).</summary>
    public static QueueEnvelope? TryParse(string value)
    {
        try
        {
            return JsonSerializer.Deserialize<QueueEnvelope>(value, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// What <c>reddit:failed:items</c> records: the item's fullname, or for a record that never became an item
    /// its source and a hash of the record (a dump's <c>file@offset</c>, an API child's JSON), so that each such
    /// record has a key of its own and a re-read one is known.
    /// </summary>
    [JsonIgnore]
    public string FailedItemKey => Item?.FullName ?? $"raw:{Source}:{RecordHash(Raw ?? "")}";

    private static string RecordHash(string raw) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(raw)).AsSpan(0, 8));
}
