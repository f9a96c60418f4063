using System.Text.Json;
using Collector.Model;

namespace Collector.Cli;

/// <summary>Writes items as NDJSON lines in the Pushshift dump format, which the dump reader reads back.</summary>
public static class DumpLineWriter
{
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
