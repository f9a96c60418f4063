using Collector.Model;
using Collector.Queues;
using Npgsql;

namespace Platform.IntegrationTests;

/// <summary>Items the tests queue for the workers, and what they find stored of them.</summary>
public static class TestItems
{
    /// <summary>A queue entry for an item created at <paramref name="created"/>, or five minutes ago (a post gets a title, a comment a post id).</summary>
    public static QueueEnvelope Envelope(RedditItemKind kind, string id, string text, string subreddit = "integration", DateTimeOffset? created = null) => new()
    {
        Item = new RedditItem(kind, id, subreddit, "tester", kind == RedditItemKind.Post ? $"title {id}" : null, text,
            created ?? DateTimeOffset.UtcNow.AddMinutes(-5), PostId: kind == RedditItemKind.Comment ? "p0" : null),
        Source = "test",
        EnqueuedAt = DateTimeOffset.UtcNow,
    };

    /// <summary>A count or sum as bigint: <paramref name="sql"/> with its one parameter <c>@s</c>.</summary>
    public static async Task<long> ScalarAsync(this NpgsqlDataSource database, string sql, string parameter)
    {
        await using var command = database.CreateCommand(sql);
        command.Parameters.AddWithValue("s", parameter);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The comments stored in <paramref name="subreddit"/>.</summary>
    public static Task<long> CountCommentsAsync(this NpgsqlDataSource database, string subreddit) =>
        database.ScalarAsync("SELECT count(*) FROM reddit_comments WHERE subreddit = @s", subreddit);
}
