using Gateway.Model;
using Npgsql;

namespace Gateway.Services;

/// <summary>
/// Tracked keywords: registering one (PostgreSQL's <c>tracked_keyword_add</c> fills its rollups from the items
/// stored so far; from then on the storage triggers keep them), listing, deleting, and a keyword's trend, read
/// from its hourly rollups (at most <see cref="ReadRequestRules.MaxBuckets"/> intervals: the cost follows them).
/// </summary>
public sealed class TrackedKeywords(NpgsqlDataSource dataSource)
{
    private const string Columns = "id, phrase, subreddit, created_at";

    /// <summary>Why a keyword was not added, in the caller's terms.</summary>
    public enum Refusal
    {
        None,
        NoSearchableWord,
        AlreadyTracked,
        TooMany,
    }

    public async Task<(TrackedKeyword? Keyword, Refusal Refusal, string? Reason)> AddAsync(string phrase, string? subreddit, CancellationToken ct)
    {
        // Filling the rollups reads the items that mention it: seconds for a common word at tens of millions.
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM tracked_keyword_add(@phrase, @subreddit)");
        command.CommandTimeout = 300;
        command.Parameters.AddWithValue("phrase", phrase);
        command.Parameters.AddWithValue("subreddit", NpgsqlTypes.NpgsqlDbType.Text, (object?)subreddit ?? DBNull.Value);
        try
        {
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            return (Read(reader), Refusal.None, null);
        }
        catch (PostgresException error) when (error.SqlState is PostgresErrorCodes.InvalidParameterValue)
        {
            return (null, Refusal.NoSearchableWord, error.MessageText);
        }
        catch (PostgresException error) when (error.SqlState is PostgresErrorCodes.ProgramLimitExceeded)
        {
            return (null, Refusal.TooMany, error.MessageText);
        }
        catch (PostgresException error) when (error.SqlState is PostgresErrorCodes.UniqueViolation)
        {
            return (null, Refusal.AlreadyTracked, $"'{phrase}' is tracked already{(subreddit is null ? "" : $" in r/{subreddit}")}");
        }
    }

    public async Task<IReadOnlyList<TrackedKeyword>> ListAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM tracked_keywords ORDER BY phrase, subreddit NULLS FIRST");
        await using var reader = await command.ExecuteReaderAsync(ct);
        var keywords = new List<TrackedKeyword>();
        while (await reader.ReadAsync(ct))
        {
            keywords.Add(Read(reader));
        }

        return keywords;
    }

    public async Task<bool> DeleteAsync(int id, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM tracked_keywords WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        return await command.ExecuteNonQueryAsync(ct) > 0;
    }

    /// <summary>The keyword's mentions per interval (hour, day or week) over the whole UTC hours of the range; null when unknown.</summary>
    public async Task<KeywordTrend?> TrendAsync(int id, TimeRange range, string interval, TimeSpan step, CancellationToken ct)
    {
        var span = RollupSpan.Of(range, wholeDays: false);
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT {Columns} FROM tracked_keywords WHERE id = @id") { Parameters = { new("id", id) } });
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"""
            SELECT date_bin(@interval, bucket, {SentimentQueries.BinOrigin}) AS point, {SentimentQueries.RollupSummaryColumns}
            FROM (SELECT * FROM keyword_rollup_hourly UNION ALL SELECT * FROM keyword_rollup_pending) rollups
            WHERE keyword_id = @id AND bucket >= @from AND bucket < @to
            GROUP BY point HAVING sum(items) > 0 ORDER BY point
            """)
        {
            Parameters = { new("id", id), new("interval", step), new("from", span.From), new("to", span.To) },
        });
        await using var reader = await batch.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        var keyword = Read(reader);
        await reader.NextResultAsync(ct);
        var points = new List<TimeSeriesPoint>();
        while (await reader.ReadAsync(ct))
        {
            points.Add(new TimeSeriesPoint(reader.GetFieldValue<DateTimeOffset>(0), SentimentQueries.ReadSummary(reader, 1)));
        }

        return new KeywordTrend(keyword, span.From, span.To, interval, points);
    }

    private static TrackedKeyword Read(NpgsqlDataReader reader) =>
        new(reader.GetInt32(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3));
}
