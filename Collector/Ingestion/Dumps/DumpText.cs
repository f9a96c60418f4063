using System.Text;
using Collector.Model;

namespace Collector.Ingestion.Dumps;

/// <summary>
/// Dump files hold texts as Reddit's JSON does without <c>raw_json=1</c>: with <c>&amp;</c>, <c>&lt;</c> and
/// <c>&gt;</c> written as HTML entities. The API is always asked for raw text, so a dump's texts are decoded
/// to match and the same comment is stored the same way from either source.
/// </summary>
public static class DumpText
{
    /// <summary>The item with its title and body decoded; the same instance when neither holds an entity.</summary>
    public static RedditItem Decode(RedditItem item)
    {
        var body = Decode(item.Body);
        var title = item.Title is null ? null : Decode(item.Title);
        return ReferenceEquals(body, item.Body) && ReferenceEquals(title, item.Title) ? item : item with { Body = body, Title = title };
    }

    /// <summary>
    /// Decodes <c>&amp;amp;</c>, <c>&amp;lt;</c> and <c>&amp;gt;</c> in one pass left to right, so <c>&amp;amp;lt;</c>
    /// becomes <c>&amp;lt;</c> (what its author typed). Reddit escapes only these three; anything else that looks
    /// like an entity was typed by the author and stays.
    /// </summary>
    public static string Decode(string text)
    {
        var first = text.IndexOf('&');
        if (first < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        builder.Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            var rest = text.AsSpan(i);
            if (rest.StartsWith("&amp;", StringComparison.Ordinal))
            {
                builder.Append('&');
                i += 4;
            }
            else if (rest.StartsWith("&lt;", StringComparison.Ordinal))
            {
                builder.Append('<');
                i += 3;
            }
            else if (rest.StartsWith("&gt;", StringComparison.Ordinal))
            {
                builder.Append('>');
                i += 3;
            }
            else
            {
                builder.Append(text[i]);
            }
        }

        return builder.ToString();
    }
}
