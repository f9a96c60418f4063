using Microsoft.AspNetCore.Http;

namespace Collector.UnitTests.Reddit;

/// <summary>
/// Threads as Reddit serves them: <c>/comments/{id}</c> nests replies under <c>replies</c> listings, shows at most
/// <see cref="ThreadInlineLimit"/> comments and leaves the rest as <c>more</c> things (their ids, per parent), and
/// below <see cref="ThreadDepthLimit"/> levels a "continue this thread" link (<c>more</c> with no ids) that
/// <c>?comment=</c> reads; <c>/api/morechildren</c> answers asked-for ids flat, with a <c>more</c> for the replies it
/// was not asked for; <c>/api/info</c> answers fullnames as a listing.
/// </summary>
public sealed partial class FakeRedditServer
{
    private readonly Dictionary<string, List<Thing>> _threads = new(StringComparer.Ordinal);

    /// <summary>Comments one thread read shows at most; the rest come as <c>more</c> things.</summary>
    public int ThreadInlineLimit { get; set; } = 200;

    /// <summary>Levels below the read's root before a "continue this thread" link.</summary>
    public int ThreadDepthLimit { get; set; } = 8;

    /// <summary>
    /// Adds comments to the thread of <paramref name="postFullname"/>: <paramref name="parents"/>[i] is the index of
    /// comment i's parent among those added (or -1 for a top-level comment). Returns their fullnames in order.
    /// </summary>
    public IReadOnlyList<string> AddThreadComments(string subreddit, string postFullname, IReadOnlyList<int> parents)
    {
        var postId = postFullname["t3_".Length..];
        lock (_lock)
        {
            if (!_threads.TryGetValue(postId, out var thread))
            {
                _threads[postId] = thread = [];
            }

            var added = new List<Thing>(parents.Count);
            foreach (var parent in parents)
            {
                var ordinal = _nextOrdinal[(int)ThingKind.Comment]++;
                var created = FirstCreated.ToUnixTimeSeconds() + _createdSeconds++ * 7;
                var thing = new Thing(ThingKind.Comment, ToBase36(ordinal), subreddit, ordinal, postId, created,
                    parent < 0 ? postFullname : added[parent].Fullname);
                added.Add(thing);
            }

            thread.AddRange(added);
            return added.ConvertAll(thing => thing.Fullname);
        }
    }

    private object? BuildThread(string postId, IQueryCollection query)
    {
        lock (_lock)
        {
            var post = _things.Values.SelectMany(things => things).FirstOrDefault(thing => thing.Fullname == $"t3_{postId}");
            var thread = _threads.GetValueOrDefault(postId) ?? [];
            var rawJson = query["raw_json"] == "1";
            var shown = 0;
            List<object> Level(string parent, int depth)
            {
                var children = thread.Where(thing => thing.Parent == parent).ToList();
                var level = new List<object>();
                var hidden = new List<Thing>();
                foreach (var child in children)
                {
                    if (shown >= ThreadInlineLimit)
                    {
                        hidden.Add(child);
                        continue;
                    }

                    shown++;
                    level.Add(CommentWithReplies(child, depth, rawJson, Level));
                }

                if (hidden.Count > 0)
                {
                    level.Add(More(parent, hidden.Select(thing => thing.Id).ToList()));
                }

                return level;
            }

            List<object> roots;
            if (query["comment"].ToString() is { Length: > 0 } commentId)
            {
                var root = thread.FirstOrDefault(thing => thing.Id == commentId);
                roots = root is null ? [] : [CommentWithReplies(root, 0, rawJson, Level)];
            }
            else
            {
                roots = Level($"t3_{postId}", 0);
            }

            return new object[]
            {
                ListingOf(post is null ? [] : [new { kind = "t3", data = DataOf(post, rawJson) }]),
                ListingOf(roots),
            };
        }
    }

    private object CommentWithReplies(Thing comment, int depth, bool rawJson, Func<string, int, List<object>> level)
    {
        var data = DataOf(comment, rawJson);
        if (depth + 1 >= ThreadDepthLimit && _threads[comment.PostId!].Any(thing => thing.Parent == comment.Fullname))
        {
            // Continue this thread: Reddit's more with no ids, count 0, id "_".
            data["replies"] = ListingOf([new { kind = "more", data = new { count = 0, name = "t1__", id = "_", parent_id = comment.Fullname, depth = depth + 1, children = Array.Empty<string>() } }]);
        }
        else
        {
            var replies = level(comment.Fullname, depth + 1);
            data["replies"] = replies.Count == 0 ? "" : ListingOf(replies);
        }

        return new { kind = "t1", data };
    }

    private object? BuildMoreChildren(IQueryCollection query)
    {
        lock (_lock)
        {
            var postId = query["link_id"].ToString().Replace("t3_", "");
            var thread = _threads.GetValueOrDefault(postId) ?? [];
            var asked = query["children"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
            var rawJson = query["raw_json"] == "1";
            var things = new List<object>();
            foreach (var comment in thread.Where(thing => asked.Contains(thing.Id)))
            {
                var data = DataOf(comment, rawJson);
                data["replies"] = "";
                things.Add(new { kind = "t1", data });
                var unasked = thread.Where(thing => thing.Parent == comment.Fullname && !asked.Contains(thing.Id)).Select(thing => thing.Id).ToList();
                if (unasked.Count > 0)
                {
                    things.Add(More(comment.Fullname, unasked));
                }
            }

            return new { json = new { errors = Array.Empty<object>(), data = new { things } } };
        }
    }

    private object? BuildInfo(IQueryCollection query)
    {
        lock (_lock)
        {
            var asked = query["id"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries).Take(100).ToList();
            var all = _things.Values.SelectMany(things => things).Concat(_threads.Values.SelectMany(thread => thread))
                .GroupBy(thing => thing.Fullname).ToDictionary(group => group.Key, group => group.First());
            var rawJson = query["raw_json"] == "1";
            var children = asked.Where(all.ContainsKey).Select(name => (object)new { kind = all[name].KindPrefix, data = DataOf(all[name], rawJson) }).ToList();
            return ListingOf(children);
        }
    }

    private static object More(string parent, List<string> ids) =>
        new { kind = "more", data = new { count = ids.Count, name = $"t1_{ids[0]}", id = ids[0], parent_id = parent, depth = 0, children = ids } };

    private static object ListingOf(List<object> children) =>
        new { kind = "Listing", data = new { after = (string?)null, dist = children.Count, modhash = "", geo_filter = "", children, before = (string?)null } };
}
