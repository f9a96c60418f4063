using Collector.Model;
using Npgsql;
using NpgsqlTypes;

namespace Collector.Storage;

/// <summary>A stored item as the refresh compares it with what Reddit says now.</summary>
public sealed record StoredItem(RedditItemKind Kind, string Id, DateTimeOffset CreatedAt, string? Title, string Body)
{
    public string FullName => (Kind == RedditItemKind.Post ? "t3_" : "t1_") + Id;
}

/// <summary>What one refresh learnt about a stored item: its score now, and a deletion or removal if one happened.</summary>
public sealed record RefreshedItem(RedditItemKind Kind, string Id, DateTimeOffset CreatedAt, int? Score, string? Removal);

/// <summary>
/// The refresh's reads and writes (<c>Reddit:Refresh</c>): which recent items are due to be read again, and
/// recording what was learnt: the score, when, and a deletion or removal (0005_item_refresh.sql). Texts and
/// sentiment are never touched here: an edited text goes back through the queues and is scored again.
/// </summary>
public sealed class ItemRefreshStore(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Items created after <paramref name="createdAfter"/>, neither deleted nor removed, not refreshed since
    /// <paramref name="refreshedBefore"/>: never refreshed first, then the longest ago.
    /// </summary>
    public async Task<IReadOnlyList<StoredItem>> DueAsync(
        DateTimeOffset createdAfter, DateTimeOffset refreshedBefore, int limit, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT kind, id, created_at, title, body FROM (
                SELECT 'post' AS kind, id, created_at, title, body, refreshed_at FROM reddit_posts
                WHERE created_at > $1 AND removal IS NULL AND (refreshed_at IS NULL OR refreshed_at < $2)
                UNION ALL
                SELECT 'comment', id, created_at, NULL, body, refreshed_at FROM reddit_comments
                WHERE created_at > $1 AND removal IS NULL AND (refreshed_at IS NULL OR refreshed_at < $2)) due
            ORDER BY refreshed_at NULLS FIRST, created_at DESC
            LIMIT $3
            """;
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = createdAfter });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = refreshedBefore });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        var due = new List<StoredItem>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            due.Add(new StoredItem(
                reader.GetString(0) == "post" ? RedditItemKind.Post : RedditItemKind.Comment,
                reader.GetString(1),
                reader.GetFieldValue<DateTimeOffset>(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetString(4)));
        }

        return due;
    }

    /// <summary>
    /// Records what a refresh learnt, in one statement per table: the score (kept when Reddit gave none), the time,
    /// and a first deletion or removal with its time. The rollups are not touched (the sentiment does not change).
    /// </summary>
    public async Task RecordAsync(IReadOnlyCollection<RefreshedItem> items, DateTimeOffset refreshedAt, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        foreach (var (kind, table) in new[] { (RedditItemKind.Post, "reddit_posts"), (RedditItemKind.Comment, "reddit_comments") })
        {
            var rows = items.Where(item => item.Kind == kind).ToList();
            if (rows.Count == 0)
            {
                continue;
            }

            await using var command = new NpgsqlCommand($"""
                UPDATE {table} AS t
                SET reddit_score = coalesce(u.score, t.reddit_score),
                    refreshed_at = $5,
                    removal = coalesce(t.removal, u.removal),
                    removed_at = CASE WHEN t.removal IS NULL AND u.removal IS NOT NULL THEN $5 ELSE t.removed_at END
                FROM unnest($1::text[], $2::timestamptz[], $3::int[], $4::text[]) AS u(id, created_at, score, removal)
                WHERE t.id = u.id AND t.created_at = u.created_at
                """, connection);
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = rows.Select(r => r.Id).ToArray() });
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = rows.Select(r => r.CreatedAt).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => (object?)r.Score ?? DBNull.Value).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
            command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => (object?)r.Removal ?? DBNull.Value).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = refreshedAt });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>The bodies of a post's stored comments by id, so a thread read queues only what is new or edited.</summary>
    public async Task<IReadOnlyDictionary<string, string>> CommentBodiesAsync(string postId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT id, body FROM reddit_comments WHERE post_id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = postId });
        var bodies = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            bodies[reader.GetString(0)] = reader.GetString(1);
        }

        return bodies;
    }
}
