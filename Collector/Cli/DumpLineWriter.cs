using System.Text.Json;
using Collector.Ingestion.Reddit;
using Collector.Model;

namespace Collector.Cli;

/// <summary>Writes items as NDJSON lines in the Pushshift dump format, which the dump reader reads back.</summary>
public static class DumpLineWriter
{
    /// <summary>
    /// A listing child: its item, or when it did not map its <c>data</c> as Reddit sent it (a dump line is such
    /// a <c>data</c> object; the whole child when it has none), so reading the line back fails the same way and
    /// the record is parked with its reason rather than lost.
    /// </summary>
    public static void Write(Utf8JsonWriter json, ListingChild child)
    {
        if (child.Item is { } item)
        {
            Write(json, item);
            return;
        }

        // Written anew rather than copied, so the line has no line breaks whatever the raw text's layout.
        using var document = JsonDocument.Parse(child.Raw);
        var root = document.RootElement;
        var line = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
            ? data
            : root;
        line.WriteTo(json);
    }

    public static void Write(Utf8JsonWriter json, RedditItem item)
    {
        json.WriteStartObject();
        json.WriteString("id", item.Id);
        json.WriteString("name", item.FullName);
        json.WriteString("subreddit", item.Subreddit);
        json.WriteString("author", item.Author);
        if (item.Kind == RedditItemKind.Post)
        {
            json.WriteString("title", item.Title);
            json.WriteString("selftext", item.Body);
        }
        else
        {
            json.WriteString("body", item.Body);
            if (item.PostId is not null)
            {
                json.WriteString("link_id", $"t3_{item.PostId}");
            }

            if (item.ParentId is not null)
            {
                json.WriteString("parent_id", item.ParentId);
            }
        }

        json.WriteNumber("created_utc", item.CreatedAt.ToUnixTimeSeconds());
        if (item.Score is { } score)
        {
            json.WriteNumber("score", score);
        }

        if (item.Permalink is not null)
        {
            json.WriteString("permalink", item.Permalink);
        }

        json.WriteEndObject();
    }
}
