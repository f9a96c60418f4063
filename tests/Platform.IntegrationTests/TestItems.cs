using Collector.Model;
using Collector.Queues;
using Npgsql;

namespace Platform.IntegrationTests;

/// <summary>Items the tests queue for the workers, and what they find stored of them.</summary>
public static class TestItems
{
    /// <summary>A queue entry for an item created five minutes ago (a post gets a title, a comment a post id).</summary>
    public static QueueEnvelope Envelope(RedditItemKind kind, string id, string text, string subreddit = "integration") => new()
    {
        Item = new RedditItem(kind, id, subreddit, "tester", kind == RedditItemKind.Post ? $"title {id}" : null, text,
            DateTimeOffset.UtcNow.AddMinutes(-5), PostId: kind == RedditItemKind.Comment ? "p0" : null),
        Source = "test",
        EnqueuedAt = DateTimeOffset.UtcNow,
    };

    /// <summary>The comments stored in <paramref name="subreddit"/>.</summary>
    public static async Task<long> CountCommentsAsync(this NpgsqlDataSource database, string subreddit)
    {
        await using var command = database.CreateCommand("SELECT count(*) FROM reddit_comments WHERE subreddit = @s");
        command.Parameters.AddWithValue("s", subreddit);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
