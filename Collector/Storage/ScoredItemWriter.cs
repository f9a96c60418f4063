using Collector.Model;
using Npgsql;
using NpgsqlTypes;

namespace Collector.Storage;

/// <summary>
/// Writes scored items in bulk: binary COPY into a transaction-scoped staging table, then one upsert by
/// Reddit id and creation time (the tables' key: they are partitioned by month of it, and an item's creation time
/// never changes) into <c>reddit_posts</c> / <c>reddit_comments</c>. Writing the same item again updates it in
/// place, which is what makes at-least-once delivery from the queues safe. The months' partitions are made sure of
/// first (<see cref="ItemPartitions"/>). Reddit's texts pass through
/// <see cref="StorableText"/> on the way, so a NUL or a lone surrogate never makes PostgreSQL refuse a batch.
/// </summary>
public sealed class ScoredItemWriter(NpgsqlDataSource dataSource, ItemPartitions partitions)
{
    private const string SentimentColumns =
        "sentiment_score, sentiment_label, confidence_score, positive_prob, neutral_prob, negative_prob, truncated, model_name, model_version, scored_at";

    private static readonly string PostColumns = $"id, subreddit, author, title, body, created_at, reddit_score, permalink, {SentimentColumns}";

    private static readonly string CommentColumns = $"id, post_id, parent_id, subreddit, author, body, created_at, reddit_score, permalink, {SentimentColumns}";

    public async Task WriteAsync(IReadOnlyCollection<ScoredItem> items, CancellationToken cancellationToken)
    {
        // Within one batch the last copy of an id wins; Postgres refuses to upsert one row twice per statement.
        var latest = items.GroupBy(i => (i.Item.Kind, i.Item.Id)).Select(g => g.Last()).ToList();
        var posts = latest.Where(i => i.Item.Kind == RedditItemKind.Post).ToList();
        var comments = latest.Where(i => i.Item.Kind == RedditItemKind.Comment).ToList();

        await partitions.EnsureAsync(latest.Select(i => i.Item.CreatedAt), cancellationToken);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (posts.Count > 0)
        {
            await UpsertAsync(connection, "reddit_posts", PostColumns, posts, WritePost, cancellationToken);
        }

        if (comments.Count > 0)
        {
            await UpsertAsync(connection, "reddit_comments", CommentColumns, comments, WriteComment, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task UpsertAsync(NpgsqlConnection connection, string table, string columns,
        List<ScoredItem> items, Func<NpgsqlBinaryImporter, ScoredItem, CancellationToken, Task> writeRow, CancellationToken cancellationToken)
    {
        var staging = $"staging_{table}";
        await using (var create = new NpgsqlCommand(
            $"CREATE TEMP TABLE IF NOT EXISTS {staging} (LIKE {table} INCLUDING DEFAULTS) ON COMMIT DELETE ROWS", connection))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var importer = await connection.BeginBinaryImportAsync(
            $"COPY {staging} ({columns}) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var item in items)
            {
                await importer.StartRowAsync(cancellationToken);
                await writeRow(importer, item, cancellationToken);
            }

            await importer.CompleteAsync(cancellationToken);
        }

        var updates = string.Join(", ", columns.Split(", ").Where(c => c is not ("id" or "created_at")).Select(c => $"{c} = EXCLUDED.{c}"));
        await using var upsert = new NpgsqlCommand(
            $"INSERT INTO {table} ({columns}) SELECT {columns} FROM {staging} ON CONFLICT (id, created_at) DO UPDATE SET {updates}", connection);
        await upsert.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task WritePost(NpgsqlBinaryImporter row, ScoredItem scored, CancellationToken ct)
    {
        var item = scored.Item;
        await row.WriteAsync(item.Id, NpgsqlDbType.Text, ct);
        await WriteTextAsync(row, item.Subreddit, ct);
        await WriteTextAsync(row, item.Author, ct);
        await WriteTextAsync(row, item.Title ?? "", ct);
        await WriteTextAsync(row, item.Body, ct);
        await WriteCommonAsync(row, scored, ct);
    }

    private static async Task WriteComment(NpgsqlBinaryImporter row, ScoredItem scored, CancellationToken ct)
    {
        var item = scored.Item;
        await row.WriteAsync(item.Id, NpgsqlDbType.Text, ct);
        await WriteNullableAsync(row, item.PostId, ct);
        await WriteNullableAsync(row, item.ParentId, ct);
        await WriteTextAsync(row, item.Subreddit, ct);
        await WriteTextAsync(row, item.Author, ct);
        await WriteTextAsync(row, item.Body, ct);
        await WriteCommonAsync(row, scored, ct);
    }

    /// <summary>The columns after the item's own text: created_at onwards, identical for both tables.</summary>
    private static async Task WriteCommonAsync(NpgsqlBinaryImporter row, ScoredItem scored, CancellationToken ct)
    {
        await row.WriteAsync(scored.Item.CreatedAt.UtcDateTime, NpgsqlDbType.TimestampTz, ct);
        if (scored.Item.Score is { } redditScore)
        {
            await row.WriteAsync(redditScore, NpgsqlDbType.Integer, ct);
        }
        else
        {
            await row.WriteNullAsync(ct);
        }

        await WriteNullableAsync(row, scored.Item.Permalink, ct);
        await row.WriteAsync(Math.Clamp(scored.Score, -1f, 1f), NpgsqlDbType.Real, ct);
        await row.WriteAsync(scored.Label, NpgsqlDbType.Text, ct);
        await row.WriteAsync(Math.Clamp(scored.Confidence, 0f, 1f), NpgsqlDbType.Real, ct);
        await row.WriteAsync(scored.Positive, NpgsqlDbType.Real, ct);
        await row.WriteAsync(scored.Neutral, NpgsqlDbType.Real, ct);
        await row.WriteAsync(scored.Negative, NpgsqlDbType.Real, ct);
        await row.WriteAsync(scored.Truncated, NpgsqlDbType.Boolean, ct);
        await row.WriteAsync(scored.Model, NpgsqlDbType.Text, ct);
        await row.WriteAsync(scored.ModelVersion, NpgsqlDbType.Text, ct);
        await row.WriteAsync(scored.ScoredAt.UtcDateTime, NpgsqlDbType.TimestampTz, ct);
    }

    private static Task WriteTextAsync(NpgsqlBinaryImporter row, string value, CancellationToken ct) =>
        row.WriteAsync(StorableText.Clean(value), NpgsqlDbType.Text, ct);

    private static Task WriteNullableAsync(NpgsqlBinaryImporter row, string? value, CancellationToken ct) =>
        value is null ? row.WriteNullAsync(ct) : WriteTextAsync(row, value, ct);
}
