using System.Text.Json;
using Collector.Model;

namespace Collector.Ingestion.Reddit;

/// <summary>
/// One page of a Reddit listing (<c>{"kind":"Listing","data":{"after","before","dist","children":[…]}}</c>),
/// in Reddit's order (newest first for <c>/new</c> and <c>/comments</c>).
/// </summary>
/// <param name="After">Fullname to pass as <c>after</c> for the next (older) page; null at the end.</param>
/// <param name="Before">Fullname to pass as <c>before</c> for the previous (newer) page, when Reddit gives one.</param>
/// <param name="Children">Every child, mapped or not, so paging and checkpoints can step over skipped ones.</param>
public sealed record Listing(string? After, string? Before, int? Dist, IReadOnlyList<ListingChild> Children)
{
    /// <summary>The children that mapped to an item, in listing order.</summary>
    public IEnumerable<RedditItem> Items => Children.Where(child => child.Item is not null).Select(child => child.Item!);

    internal static Listing Parse(JsonElement root, IRedditThingMapper mapper)
    {
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("kind", out var kind) || kind.ValueKind != JsonValueKind.String || kind.GetString() != "Listing"
            || !root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("Not a Reddit listing: expected {\"kind\":\"Listing\",\"data\":{...}}.");
        }

        var children = new List<ListingChild>();
        if (data.TryGetProperty("children", out var items) && items.ValueKind == JsonValueKind.Array)
        {
            foreach (var child in items.EnumerateArray())
            {
                children.Add(ParseChild(child, mapper));
            }
        }

        return new Listing(
            GetString(data, "after"),
            GetString(data, "before"),
            data.TryGetProperty("dist", out var dist) && dist.ValueKind == JsonValueKind.Number ? dist.GetInt32() : null,
            children);
    }

    internal static ListingChild ParseChild(JsonElement child, IRedditThingMapper mapper)
    {
        var raw = child.GetRawText();
        if (child.ValueKind != JsonValueKind.Object)
        {
            return new ListingChild("?", null, null, $"{MappingReasons.NotAnObject}: {child.ValueKind.ToString().ToLowerInvariant()}", raw);
        }

        var thingKind = GetString(child, "kind");
        var data = child.TryGetProperty("data", out var value) ? value : default;
        var fullname = data.ValueKind == JsonValueKind.Object ? GetString(data, "name") : null;
        if (fullname is null && data.ValueKind == JsonValueKind.Object && GetString(data, "id") is { } id && thingKind is not null)
        {
            fullname = $"{thingKind}_{id}";
        }

        if (Fullname.ItemKindOf(thingKind) is not { } itemKind)
        {
            return new ListingChild(thingKind ?? "?", fullname, null, $"{MappingReasons.UnsupportedKind}: {thingKind ?? "none"}", raw);
        }

        var result = mapper.Map(data, itemKind);
        return new ListingChild(thingKind!, fullname, result.Item, result.Reason, raw);
    }

    internal static string? GetString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>A child of a listing: its thing kind (<c>t3</c>, <c>t1</c>, ...), fullname, and the mapped item or why not.</summary>
/// <param name="SkipReason">Why it did not map (<c>code: detail</c>, see <see cref="MappingReasons"/>); null when it did.</param>
/// <param name="Raw">
/// The child's JSON as Reddit sent it (<c>{"kind":"t3","data":{…}}</c>), so one that did not map can be parked
/// and reprocessed rather than lost; the page is buffered whole anyway, so keeping it costs one copy of the page.
/// </param>
public sealed record ListingChild(string Kind, string? Fullname, RedditItem? Item, string? SkipReason, string Raw);
