using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Collector.UnitTests.Reddit;

/// <summary>The fake server's posts and comments, and Reddit's listing rules over them.</summary>
public sealed partial class FakeRedditServer
{
    /// <summary>Reddit computes listings up to this many things; paging stops there.</summary>
    public const int ListingCap = 1000;

    /// <summary>When the first thing added was created; each later one 7 seconds after the one before.</summary>
    public DateTimeOffset FirstCreated { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // Per kind, ids grow from a realistic six-digit base-36 start, as Reddit's do.
    private readonly long[] _nextOrdinal = [36L * 36 * 36 * 36 * 36 * 10, 36L * 36 * 36 * 36 * 36 * 20];
    private readonly Dictionary<(string Subreddit, ThingKind Kind), List<Thing>> _things = [];
    private readonly HashSet<string> _subreddits = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Dictionary<string, object?>> _changedFields = [];
    private long _createdSeconds;

    public enum ThingKind
    {
        Post,
        Comment,
    }

    /// <summary>Makes a subreddit exist without anything in it.</summary>
    public void AddSubreddit(string subreddit)
    {
        lock (_lock)
        {
            _subreddits.Add(subreddit);
        }
    }

    /// <summary>Adds <paramref name="count"/> new posts (each newer than everything before); returns their fullnames, oldest first.</summary>
    public IReadOnlyList<string> AddPosts(string subreddit, int count) => AddThings(subreddit, ThingKind.Post, count, null);

    /// <summary>Adds <paramref name="count"/> new comments, on <paramref name="postId"/> or on a post of their own.</summary>
    public IReadOnlyList<string> AddComments(string subreddit, int count, string? postId = null) =>
        AddThings(subreddit, ThingKind.Comment, count, postId);

    /// <summary>Removes a thing from the listings, as a deletion or a moderator's removal does.</summary>
    public void Remove(string fullname)
    {
        lock (_lock)
        {
            foreach (var things in _things.Values)
            {
                things.RemoveAll(thing => thing.Fullname == fullname);
            }
        }
    }

    /// <summary>
    /// Serves <paramref name="field"/> of a thing's <c>data</c> as <paramref name="value"/> from now on (null: JSON
    /// null), as odd records come from Reddit; paging still goes by the thing's real fullname.
    /// </summary>
    public void SetField(string fullname, string field, object? value)
    {
        lock (_lock)
        {
            if (!_changedFields.TryGetValue(fullname, out var changes))
            {
                _changedFields[fullname] = changes = [];
            }

            changes[field] = value;
        }
    }

    private IReadOnlyList<string> AddThings(string subreddit, ThingKind kind, int count, string? postId)
    {
        lock (_lock)
        {
            _subreddits.Add(subreddit);
            if (!_things.TryGetValue((subreddit.ToLowerInvariant(), kind), out var things))
            {
                _things[(subreddit.ToLowerInvariant(), kind)] = things = [];
            }

            var added = new List<string>(count);
            for (var i = 0; i < count; i++)
            {
                var ordinal = _nextOrdinal[(int)kind]++;
                var created = FirstCreated.ToUnixTimeSeconds() + _createdSeconds++ * 7;
                var thing = new Thing(kind, ToBase36(ordinal), subreddit, ordinal, postId, created);
                things.Add(thing);
                added.Add(thing.Fullname);
            }

            return added;
        }
    }

    private bool SubredditExists(string subreddit)
    {
        lock (_lock)
        {
            return _subreddits.Contains(subreddit);
        }
    }

    /// <summary>
    /// Reddit's paging over a newest-first listing: <c>after=X</c> gives the things just older than X,
    /// <c>before=X</c> the <c>limit</c> things just newer than X; an anchor that is no longer listed gives an
    /// empty page. <c>after</c> in the answer is the last child when more follow; <c>before</c> the first
    /// child when newer ones exist and the request said where it was (<c>count</c> or <c>before</c>).
    /// </summary>
    private object BuildListing(string subreddit, ThingKind kind, IQueryCollection query, bool bestFirst = false)
    {
        List<Thing> listed;
        lock (_lock)
        {
            var all = _things.TryGetValue((subreddit.ToLowerInvariant(), kind), out var things) ? things.AsEnumerable().Reverse() : [];
            listed = (bestFirst ? all.OrderByDescending(thing => thing.Ordinal % 50).ThenByDescending(thing => thing.Ordinal) : all)
                .Take(ListingCap).ToList();
        }

        var limit = int.TryParse(query["limit"], out var requested) ? Math.Clamp(requested, 1, 100) : 25;
        var rawJson = query["raw_json"] == "1";
        int start, end;
        if (query["after"].ToString() is { Length: > 0 } after)
        {
            var anchor = listed.FindIndex(thing => thing.Fullname == after);
            start = anchor < 0 ? listed.Count : anchor + 1;
            end = Math.Min(listed.Count, start + limit);
        }
        else if (query["before"].ToString() is { Length: > 0 } before)
        {
            var anchor = listed.FindIndex(thing => thing.Fullname == before);
            end = anchor < 0 ? 0 : anchor;
            start = Math.Max(0, end - limit);
        }
        else
        {
            start = 0;
            end = Math.Min(listed.Count, limit);
        }

        var page = listed.GetRange(start, Math.Max(0, end - start));
        var saysWhere = query.ContainsKey("count") || query.ContainsKey("before");
        return new
        {
            kind = "Listing",
            data = new
            {
                after = page.Count > 0 && end < listed.Count ? page[^1].Fullname : null,
                dist = page.Count,
                modhash = "",
                geo_filter = "",
                children = page.Select(thing => new { kind = thing.KindPrefix, data = DataOf(thing, rawJson) }),
                before = page.Count > 0 && start > 0 && saysWhere ? page[0].Fullname : null,
            },
        };
    }

    private Dictionary<string, object?> DataOf(Thing thing, bool rawJson)
    {
        var data = thing.ToData(rawJson);
        lock (_lock)
        {
            foreach (var (field, value) in _changedFields.GetValueOrDefault(thing.Fullname) ?? [])
            {
                data[field] = value;
            }
        }

        return data;
    }

    private static string ToBase36(long value)
    {
        var digits = new StringBuilder();
        do
        {
            var digit = (int)(value % 36);
            digits.Insert(0, (char)(digit < 10 ? '0' + digit : 'a' + digit - 10));
            value /= 36;
        }
        while (value > 0);

        return digits.ToString();
    }

    private sealed record Thing(ThingKind Kind, string Id, string Subreddit, long Ordinal, string? PostId, double CreatedUtc, string? Parent = null)
    {
        public string KindPrefix => Kind == ThingKind.Post ? "t3" : "t1";

        public string Fullname => $"{KindPrefix}_{Id}";

        // Without raw_json=1 Reddit escapes &, < and > in text fields as HTML entities.
        private static string Text(string value, bool rawJson) =>
            rawJson ? value : value.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

        public Dictionary<string, object?> ToData(bool rawJson)
        {
            var author = $"user_{Ordinal % 97}";
            if (Kind == ThingKind.Post)
            {
                return new()
                {
                    ["approved_at_utc"] = null,
                    ["subreddit"] = Subreddit,
                    ["selftext"] = Text($"Body of post {Id} & more", rawJson),
                    ["author_fullname"] = $"t2_{Ordinal % 97}",
                    ["title"] = Text($"Post {Id} <fake> & co", rawJson),
                    ["subreddit_name_prefixed"] = $"r/{Subreddit}",
                    ["name"] = Fullname,
                    ["score"] = (int)(Ordinal % 50),
                    ["created_utc"] = CreatedUtc,
                    ["num_comments"] = 0,
                    ["over_18"] = false,
                    ["id"] = Id,
                    ["author"] = author,
                    ["permalink"] = $"/r/{Subreddit}/comments/{Id}/post_{Id}/",
                    ["url"] = $"https://www.reddit.com/r/{Subreddit}/comments/{Id}/post_{Id}/",
                    ["created"] = CreatedUtc,
                };
            }

            var postId = PostId ?? "1a2b3c";
            return new()
            {
                ["subreddit_id"] = "t5_2qh1i",
                ["link_title"] = $"Post {postId}",
                ["subreddit"] = Subreddit,
                ["link_id"] = $"t3_{postId}",
                ["parent_id"] = Parent ?? $"t3_{postId}",
                ["author"] = author,
                ["body"] = Text($"Comment {Id} says > hi & bye", rawJson),
                ["name"] = Fullname,
                ["score"] = (int)(Ordinal % 50),
                ["created_utc"] = CreatedUtc,
                ["id"] = Id,
                ["permalink"] = $"/r/{Subreddit}/comments/{postId}/post_{postId}/{Id}/",
                ["created"] = CreatedUtc,
            };
        }
    }
}
