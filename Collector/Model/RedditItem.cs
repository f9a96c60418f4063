namespace Collector.Model;

public enum RedditItemKind
{
    /// <summary>A submission (Reddit's <c>t3</c>).</summary>
    Post,

    /// <summary>A comment (Reddit's <c>t1</c>).</summary>
    Comment,
}

/// <summary>
/// A post or comment as the platform stores it, whatever its source (the API or a dump file). This is
/// also the JSON shape of queue entries (camelCase), so it stays small and flat.
/// </summary>
/// <param name="Id">Reddit's base-36 id without the kind prefix (<c>abc123</c>, not <c>t3_abc123</c>).</param>
/// <param name="Subreddit">Subreddit name without <c>r/</c>, as Reddit spells it.</param>
/// <param name="Author">Author name; <c>[deleted]</c> is kept as Reddit gives it.</param>
/// <param name="Title">The post's title; null for comments.</param>
/// <param name="Body">Self text of a post (may be empty for link posts) or the comment's body.</param>
/// <param name="CreatedAt">Creation time (Reddit's <c>created_utc</c>).</param>
/// <param name="ParentId">For comments: the parent's fullname (<c>t1_…</c> or <c>t3_…</c>).</param>
/// <param name="PostId">For comments: the id of the post they belong to (from <c>link_id</c>, without <c>t3_</c>).</param>
/// <param name="Score">Reddit's vote score when known.</param>
/// <param name="Permalink">Path on reddit.com when known.</param>
public sealed record RedditItem(
    RedditItemKind Kind,
    string Id,
    string Subreddit,
    string Author,
    string? Title,
    string Body,
    DateTimeOffset CreatedAt,
    string? ParentId = null,
    string? PostId = null,
    int? Score = null,
    string? Permalink = null)
{
    /// <summary>Reddit's fullname: <c>t3_{id}</c> for posts, <c>t1_{id}</c> for comments.</summary>
    public string FullName => (Kind == RedditItemKind.Post ? "t3_" : "t1_") + Id;

    /// <summary>The text whose sentiment is scored: title and body of a post, the body of a comment.</summary>
    public string ScoredText => Kind == RedditItemKind.Post && !string.IsNullOrEmpty(Title)
        ? string.IsNullOrWhiteSpace(Body) ? Title : $"{Title}\n\n{Body}"
        : Body;
}
