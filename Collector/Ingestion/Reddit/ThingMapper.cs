using System.Globalization;
using System.Text.Json;
using Collector.Model;

namespace Collector.Ingestion.Reddit;

/// <summary>Turns the <c>data</c> object of a Reddit thing into a <see cref="RedditItem"/>.</summary>
public interface IRedditThingMapper
{
    MappingResult Map(JsonElement data, RedditItemKind kind);
}

/// <summary>The mapped item, or why the thing was skipped (<see cref="Item"/> null).</summary>
public sealed record MappingResult(RedditItem? Item, string? Reason)
{
    public static MappingResult Mapped(RedditItem item) => new(item, null);

    public static MappingResult Skipped(string reason) => new(null, reason);
}

/// <summary>
/// The API's field names (<c>selftext</c>, <c>created_utc</c>, <c>link_id</c>, ...) mapped to the platform's
/// record. Kept small on purpose: the dump reader's shared mapper is meant to replace it.
/// </summary>
internal sealed class ThingMapper : IRedditThingMapper
{
    private const string DeletedAuthor = "[deleted]";

    public MappingResult Map(JsonElement data, RedditItemKind kind)
    {
        if (data.ValueKind != JsonValueKind.Object)
        {
            return MappingResult.Skipped("data is not an object");
        }

        var id = GetString(data, "id");
        if (!Fullname.TryGetOrdinal(id, out _))
        {
            return MappingResult.Skipped("missing or malformed id");
        }

        var subreddit = GetString(data, "subreddit");
        if (string.IsNullOrEmpty(subreddit))
        {
            return MappingResult.Skipped($"{id}: missing subreddit");
        }

        if (!TryGetCreated(data, out var createdAt))
        {
            return MappingResult.Skipped($"{id}: missing or malformed created_utc");
        }

        var author = GetString(data, "author") ?? DeletedAuthor;
        var score = GetInt(data, "score");
        var permalink = GetString(data, "permalink");

        if (kind == RedditItemKind.Post)
        {
            var title = GetString(data, "title");
            if (title is null)
            {
                return MappingResult.Skipped($"{id}: post without title");
            }

            return MappingResult.Mapped(new RedditItem(
                RedditItemKind.Post, id!, subreddit, author, title, GetString(data, "selftext") ?? "", createdAt,
                Score: score, Permalink: permalink));
        }

        var body = GetString(data, "body");
        if (body is null)
        {
            return MappingResult.Skipped($"{id}: comment without body");
        }

        var linkId = GetString(data, "link_id");
        var postId = linkId is not null && linkId.StartsWith(Fullname.PostKind + "_", StringComparison.Ordinal)
            ? linkId[(Fullname.PostKind.Length + 1)..]
            : linkId;

        return MappingResult.Mapped(new RedditItem(
            RedditItemKind.Comment, id!, subreddit, author, null, body, createdAt,
            ParentId: GetString(data, "parent_id"), PostId: postId, Score: score, Permalink: permalink));
    }

    private static string? GetString(JsonElement data, string name) =>
        data.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int? GetInt(JsonElement data, string name) =>
        data.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
            ? number
            : null;

    // The API sends seconds as a float (1700000000.0); older dumps sometimes as a string.
    private static bool TryGetCreated(JsonElement data, out DateTimeOffset createdAt)
    {
        createdAt = default;
        if (!data.TryGetProperty("created_utc", out var value))
        {
            return false;
        }

        double seconds;
        if (value.ValueKind == JsonValueKind.Number)
        {
            seconds = value.GetDouble();
        }
        else if (value.ValueKind != JsonValueKind.String
                 || !double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out seconds))
        {
            return false;
        }

        if (double.IsNaN(seconds) || seconds < 0 || seconds > 253402300799)
        {
            return false;
        }

        createdAt = DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000));
        return true;
    }
}
