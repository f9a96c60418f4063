using Gateway.Model;
using Npgsql;

namespace Gateway.Services;

/// <summary>The detector's reads and writes: each keyword's window and baseline from its rollups, and the alerts.</summary>
public sealed class KeywordAlerts(NpgsqlDataSource dataSource)
{
    /// <summary>Every tracked keyword's mentions in [windowStart, windowEnd) and [baselineStart, windowStart).</summary>
    public async Task<IReadOnlyList<KeywordWindow>> WindowsAsync(
        DateTimeOffset baselineStart, DateTimeOffset windowStart, DateTimeOffset windowEnd, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT k.id, k.phrase, k.subreddit,
                   coalesce(sum(r.items) FILTER (WHERE r.bucket >= @window_start), 0)::bigint,
                   coalesce(sum(r.positive) FILTER (WHERE r.bucket >= @window_start), 0)::bigint,
                   coalesce(sum(r.negative) FILTER (WHERE r.bucket >= @window_start), 0)::bigint,
                   coalesce(sum(r.items) FILTER (WHERE r.bucket < @window_start), 0)::bigint,
                   coalesce(sum(r.positive) FILTER (WHERE r.bucket < @window_start), 0)::bigint,
                   coalesce(sum(r.negative) FILTER (WHERE r.bucket < @window_start), 0)::bigint
            FROM tracked_keywords k
            LEFT JOIN (SELECT * FROM keyword_rollup_hourly UNION ALL SELECT * FROM keyword_rollup_pending) r
                ON r.keyword_id = k.id AND r.bucket >= @baseline_start AND r.bucket < @window_end
            GROUP BY k.id ORDER BY k.id
            """);
        command.Parameters.AddWithValue("baseline_start", baselineStart);
        command.Parameters.AddWithValue("window_start", windowStart);
        command.Parameters.AddWithValue("window_end", windowEnd);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var windows = new List<KeywordWindow>();
        while (await reader.ReadAsync(ct))
        {
            windows.Add(new KeywordWindow(reader.GetInt32(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7), reader.GetInt64(8)));
        }

        return windows;
    }

    /// <summary>Records a shift; false when this keyword, kind and window raised it already.</summary>
    public async Task<bool> RaiseAsync(KeywordWindow window, Shift shift, DateTimeOffset windowStart, DateTimeOffset now, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO keyword_alerts (keyword_id, kind, window_start, z_score, window_items, window_value, baseline_value, raised_at)
            VALUES (@keyword, @kind, @window_start, @z, @items, @window_value, @baseline_value, @now)
            ON CONFLICT (keyword_id, kind, window_start) DO NOTHING
            """);
        command.Parameters.AddWithValue("keyword", window.KeywordId);
        command.Parameters.AddWithValue("kind", KeywordShiftDetector.Name(shift.Kind));
        command.Parameters.AddWithValue("window_start", windowStart);
        command.Parameters.AddWithValue("z", shift.ZScore);
        command.Parameters.AddWithValue("items", window.WindowItems);
        command.Parameters.AddWithValue("window_value", shift.WindowValue);
        command.Parameters.AddWithValue("baseline_value", shift.BaselineValue);
        command.Parameters.AddWithValue("now", now);
        try
        {
            return await command.ExecuteNonQueryAsync(ct) == 1;
        }
        catch (PostgresException error) when (error.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            return false; // the keyword was deleted meanwhile
        }
    }

    /// <summary>Alerts raised in [from, to), newest first; of one keyword when given.</summary>
    public async Task<IReadOnlyList<KeywordAlert>> ListAsync(TimeRange range, int? keywordId, int limit, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT a.id, k.id, k.phrase, k.subreddit, k.created_at, a.kind, a.window_start, a.z_score, a.window_items,
                   a.window_value, a.baseline_value, a.raised_at
            FROM keyword_alerts a JOIN tracked_keywords k ON k.id = a.keyword_id
            WHERE a.raised_at >= @from AND a.raised_at < @to AND (@keyword::integer IS NULL OR a.keyword_id = @keyword)
            ORDER BY a.raised_at DESC, a.id DESC LIMIT @limit
            """);
        command.Parameters.AddWithValue("from", range.From);
        command.Parameters.AddWithValue("to", range.To);
        command.Parameters.AddWithValue("keyword", NpgsqlTypes.NpgsqlDbType.Integer, (object?)keywordId ?? DBNull.Value);
        command.Parameters.AddWithValue("limit", limit);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var alerts = new List<KeywordAlert>();
        while (await reader.ReadAsync(ct))
        {
            var keyword = new TrackedKeyword(reader.GetInt32(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4));
            alerts.Add(new KeywordAlert(reader.GetInt64(0), keyword, reader.GetString(5), reader.GetFieldValue<DateTimeOffset>(6),
                Math.Round(reader.GetDouble(7), 2), reader.GetInt64(8), Math.Round(reader.GetDouble(9), 4), Math.Round(reader.GetDouble(10), 4),
                reader.GetFieldValue<DateTimeOffset>(11)));
        }

        return alerts;
    }
}
