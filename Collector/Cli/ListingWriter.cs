using System.Text.Json;
using Collector.Ingestion.Reddit;

namespace Collector.Cli;

/// <summary>Writes a listing's children as dump lines, page after page, for <c>fetch</c>.</summary>
public static class ListingWriter
{
    /// <param name="Written">Lines written.</param>
    /// <param name="Unmapped">Of those, children that did not map (written as Reddit sent them).</param>
    /// <param name="Duplicates">Children Reddit listed again on a later page, left out.</param>
    /// <param name="EndedEarly">Why paging stopped before the limit when Reddit still pointed further, or null.</param>
    public sealed record Result(int Written, int Unmapped, int Duplicates, string? EndedEarly);

    /// <summary>
    /// Up to <paramref name="limit"/> children of a listing, newest first, one NDJSON line each (see
    /// <see cref="DumpLineWriter.Write(Utf8JsonWriter, ListingChild)"/>). A child that did not map is not dropped:
    /// it is written as Reddit sent it, and its fullname and reason go to <paramref name="errors"/>. Paging stops
    /// at the limit, at the listing's end, at an empty page, and when Reddit hands back an <c>after</c> it gave
    /// before (it would loop); a child listed twice is written once.
    /// </summary>
    public static async Task<Result> WriteAsync(
        RedditClient client, string path, int limit, Stream output, TextWriter errors, CancellationToken cancellationToken, string? period = null)
    {
        int written = 0, unmapped = 0, duplicates = 0;
        var seenAfter = new HashSet<string>(StringComparer.Ordinal);
        var seenChildren = new HashSet<string>(StringComparer.Ordinal);
        string? after = null;
        while (written < limit)
        {
            var page = await client.GetListingAsync(path, new ListingQuery { Limit = Math.Min(100, limit - written), After = after, Period = period }, cancellationToken);
            foreach (var child in page.Children)
            {
                if (written == limit)
                {
                    break;
                }

                if (child.Fullname is { } fullname && !seenChildren.Add(fullname))
                {
                    duplicates++;
                    continue;
                }

                unmapped += await WriteLineAsync(child, output, errors) ? 0 : 1;
                written++;
            }

            if (page.After is null || written == limit)
            {
                return new Result(written, unmapped, duplicates, null);
            }

            if (page.Children.Count == 0)
            {
                return new Result(written, unmapped, duplicates, "Reddit sent an empty page that still pointed further; paging stopped");
            }

            if (!seenAfter.Add(page.After))
            {
                return new Result(written, unmapped, duplicates, $"Reddit pointed back to {page.After}, a page already read; paging stopped");
            }

            after = page.After;
        }

        return new Result(written, unmapped, duplicates, null);
    }

    /// <summary>One child as a dump line; false (and a line on <paramref name="errors"/>) when it did not map.</summary>
    public static async Task<bool> WriteLineAsync(ListingChild child, Stream output, TextWriter errors)
    {
        await using (var json = new Utf8JsonWriter(output))
        {
            DumpLineWriter.Write(json, child);
        }

        output.WriteByte((byte)'\n');
        if (child.Item is null)
        {
            await errors.WriteLineAsync($"{child.Fullname ?? "a child without a fullname"} did not map: {child.SkipReason}");
            return false;
        }

        return true;
    }
}
