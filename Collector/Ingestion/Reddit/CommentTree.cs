using System.Text.Json;

namespace Collector.Ingestion.Reddit;

/// <summary>
/// The comments of a thread as Reddit serves them: <c>GET /comments/{id}</c> answers
/// <c>[post listing, comment listing]</c>, each comment carrying its <c>replies</c> (a listing, or <c>""</c> when
/// there are none), and the parts Reddit left out as <c>more</c> things; <c>GET /api/morechildren</c> answers
/// <c>{"json":{"errors":[],"data":{"things":[…]}}}</c> with the same things, flat. Both flatten to the comments in
/// the order Reddit lists them and the <c>more</c> links still to expand.
/// </summary>
/// <param name="Post">The thread's post (the first listing's child); null from morechildren.</param>
/// <param name="Comments">Every comment child, parents before their replies, mapped or not.</param>
/// <param name="More">What Reddit left out, to expand with morechildren or, for "continue this thread", a subtree read.</param>
public sealed record CommentTree(ListingChild? Post, IReadOnlyList<ListingChild> Comments, IReadOnlyList<MoreComments> More)
{
    /// <summary>Parses the answer to <c>/comments/{id}</c>.</summary>
    /// <exception cref="JsonException">It is not an array of two listings.</exception>
    internal static CommentTree ParseThread(JsonElement root, IRedditThingMapper mapper)
    {
        if (root.ValueKind != JsonValueKind.Array || root.GetArrayLength() != 2)
        {
            throw new JsonException("Not a Reddit thread: expected [post listing, comment listing].");
        }

        var post = Listing.Parse(root[0], mapper).Children.FirstOrDefault();
        var comments = new List<ListingChild>();
        var more = new List<MoreComments>();
        Flatten(ChildrenOf(root[1]), mapper, comments, more);
        return new CommentTree(post, comments, more);
    }

    /// <summary>Parses the answer to <c>/api/morechildren</c> (with <c>api_type=json</c>).</summary>
    /// <exception cref="JsonException">It is not one, or it carries Reddit's errors.</exception>
    internal static CommentTree ParseMoreChildren(JsonElement root, IRedditThingMapper mapper)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("json", out var json) || json.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("Not a morechildren answer: expected {\"json\":{\"data\":{\"things\":[...]}}}.");
        }

        if (json.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
        {
            throw new JsonException($"Reddit reported errors: {errors.GetRawText()}");
        }

        var things = json.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
            && data.TryGetProperty("things", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().ToList()
            : [];
        var comments = new List<ListingChild>();
        var more = new List<MoreComments>();
        Flatten(things, mapper, comments, more);
        return new CommentTree(null, comments, more);
    }

    private static List<JsonElement> ChildrenOf(JsonElement listing) =>
        listing.ValueKind == JsonValueKind.Object
        && listing.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
        && data.TryGetProperty("children", out var children) && children.ValueKind == JsonValueKind.Array
            ? children.EnumerateArray().ToList()
            : [];

    // Depth first with an explicit stack: a deep chain of replies must not overflow the call stack.
    private static void Flatten(List<JsonElement> roots, IRedditThingMapper mapper, List<ListingChild> comments, List<MoreComments> more)
    {
        var pending = new Stack<JsonElement>(Enumerable.Reverse(roots));
        while (pending.TryPop(out var child))
        {
            var kind = child.ValueKind == JsonValueKind.Object ? Listing.GetString(child, "kind") : null;
            var data = child.ValueKind == JsonValueKind.Object && child.TryGetProperty("data", out var value) && value.ValueKind == JsonValueKind.Object
                ? value
                : default;
            if (kind == "more" && data.ValueKind == JsonValueKind.Object)
            {
                more.Add(MoreComments.Parse(data));
                continue;
            }

            comments.Add(Listing.ParseChild(child, mapper));
            if (data.ValueKind == JsonValueKind.Object && data.TryGetProperty("replies", out var replies))
            {
                foreach (var reply in Enumerable.Reverse(ChildrenOf(replies)))
                {
                    pending.Push(reply);
                }
            }
        }
    }
}

/// <summary>
/// A <c>more</c> thing: comments Reddit left out under <paramref name="ParentFullname"/>. With ids, they are fetched
/// through morechildren (up to 100 a request); without ("continue this thread", <c>count</c> 0 and id <c>_</c>),
/// by reading the subtree under the parent comment.
/// </summary>
public sealed record MoreComments(string? ParentFullname, IReadOnlyList<string> ChildIds, int Count)
{
    public bool IsContinueThisThread => ChildIds.Count == 0;

    internal static MoreComments Parse(JsonElement data)
    {
        var ids = data.TryGetProperty("children", out var children) && children.ValueKind == JsonValueKind.Array
            ? children.EnumerateArray().Where(id => id.ValueKind == JsonValueKind.String).Select(id => id.GetString()!).ToList()
            : [];
        var count = data.TryGetProperty("count", out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) ? n : ids.Count;
        return new MoreComments(Listing.GetString(data, "parent_id"), ids, count);
    }
}
