using Collector.Model;

namespace Collector.Ingestion.Reddit;

/// <summary>
/// Reddit's thing names: a kind prefix and a base-36 id (<c>t3_1abc2d</c>). Ids are handed out in
/// increasing order per kind, so their numeric value orders things by creation, which is what lets the
/// poller tell "newer than the checkpoint" even when the checkpoint's item has been deleted since.
/// </summary>
internal static class Fullname
{
    public const string PostKind = "t3";
    public const string CommentKind = "t1";

    public static string KindPrefix(RedditItemKind kind) => kind == RedditItemKind.Post ? PostKind : CommentKind;

    public static RedditItemKind? ItemKindOf(string? thingKind) => thingKind switch
    {
        PostKind => RedditItemKind.Post,
        CommentKind => RedditItemKind.Comment,
        _ => null,
    };

    public static string Of(RedditItemKind kind, string id) => $"{KindPrefix(kind)}_{id}";

    /// <summary>Splits <c>t3_abc</c> into its kind and id; false for anything else.</summary>
    public static bool TryParse(string? fullname, out string kind, out string id)
    {
        kind = id = "";
        var separator = fullname?.IndexOf('_') ?? -1;
        if (separator <= 0 || separator == fullname!.Length - 1)
        {
            return false;
        }

        kind = fullname[..separator];
        id = fullname[(separator + 1)..];
        return TryGetOrdinal(id, out _);
    }

    /// <summary>The numeric value of a base-36 id (<c>"zz"</c> is 1295); false when it is not one.</summary>
    public static bool TryGetOrdinal(string? id, out long ordinal)
    {
        ordinal = 0;
        if (string.IsNullOrEmpty(id) || id.Length > 12)
        {
            return false;
        }

        foreach (var c in id)
        {
            var digit = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'a' and <= 'z' => c - 'a' + 10,
                >= 'A' and <= 'Z' => c - 'A' + 10,
                _ => -1,
            };
            if (digit < 0)
            {
                return false;
            }

            ordinal = ordinal * 36 + digit;
        }

        return true;
    }
}
