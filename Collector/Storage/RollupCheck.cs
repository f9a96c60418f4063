using Npgsql;

namespace Collector.Storage;

/// <summary>
/// Compares the sentiment and keyword rollups with a recomputation from the items (the database's
/// <c>rollup_differences</c> view, one definition for this check, the tests and psql), and rebuilds them.
/// Both read every item: minutes at tens of millions, hence no command timeout.
/// </summary>
public sealed class RollupCheck(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// One rollup row that differs: its grain (hour, day, keyword hour), bucket, and what it counts in words
    /// (<c>r/news comments</c>, <c>keyword "price of gold"</c>); null items where a side has no row.
    /// </summary>
    public sealed record Difference(string Grain, DateTimeOffset Bucket, string What, long? StoredItems, long? RecomputedItems)
    {
        public override string ToString() =>
            $"{Grain} {Bucket.UtcDateTime:yyyy-MM-dd HH:mm} {What}: {StoredItems?.ToString() ?? "no row"} stored, {RecomputedItems?.ToString() ?? "none"} recomputed";
    }

    /// <param name="Buckets">Hourly and daily rollup rows compared.</param>
    /// <param name="Differences">Every differing bucket, or the first <see cref="MaxListed"/> of them.</param>
    public sealed record Result(long Buckets, long DifferenceCount, IReadOnlyList<Difference> Differences);

    public const int MaxListed = 20;

    public async Task<Result> CheckAsync(CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        batch.Timeout = 0;
        batch.BatchCommands.Add(new("SELECT (SELECT count(*) FROM sentiment_rollup_hourly) + (SELECT count(*) FROM sentiment_rollup_daily) + (SELECT count(*) FROM keyword_rollup_hourly)"));
        batch.BatchCommands.Add(new($"""
            SELECT grain, bucket, what, stored_items, recomputed_items, count(*) OVER ()
            FROM rollup_differences ORDER BY bucket, grain, what LIMIT {MaxListed}
            """));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var buckets = reader.GetInt64(0);
        await reader.NextResultAsync(cancellationToken);
        var (differences, count) = (new List<Difference>(), 0L);
        while (await reader.ReadAsync(cancellationToken))
        {
            differences.Add(new Difference(reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetInt64(3), reader.IsDBNull(4) ? null : reader.GetInt64(4)));
            count = reader.GetInt64(5);
        }

        return new Result(buckets, count, differences);
    }

    /// <summary>Rebuilds every rollup from the items; writers wait until it commits.</summary>
    public async Task RebuildAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT sentiment_rollup_rebuild()");
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
