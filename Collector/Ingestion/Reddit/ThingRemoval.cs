using System.Text.Json;

namespace Collector.Ingestion.Reddit;

/// <summary>
/// Whether Reddit now shows a thing as deleted by its author or removed by moderators (or Reddit): posts say so in
/// <c>removed_by_category</c> (<c>deleted</c>, <c>moderator</c>, <c>automod_filtered</c>, <c>reddit</c>, …), and a
/// deleted or removed text reads <c>[deleted]</c> or <c>[removed]</c>.
/// </summary>
public static class ThingRemoval
{
    public const string Deleted = "deleted";
    public const string Removed = "removed";

    /// <summary><see cref="Deleted"/>, <see cref="Removed"/> or null, from a child's JSON as Reddit sent it.</summary>
    public static string? Of(string rawChild)
    {
        try
        {
            using var document = JsonDocument.Parse(rawChild);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            if (Listing.GetString(data, "removed_by_category") is { Length: > 0 } category)
            {
                return category is "deleted" or "author" ? Deleted : Removed;
            }

            var text = Listing.GetString(data, "body") ?? Listing.GetString(data, "selftext");
            return text switch
            {
                "[deleted]" => Deleted,
                "[removed]" => Removed,
                _ => null,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
