using Gateway.Model;
using Npgsql;

namespace Gateway.Services;

/// <summary>
/// The read side over the Collector's tables. Every query is parameterised and bounded (a limit, a time
/// range, a bucket count), so no request can ask PostgreSQL for an unbounded scan of results.
/// </summary>
public sealed class SentimentQueries(NpgsqlDataSource dataSource)
{
    private const string SummaryColumns = """
        count(*), avg(sentiment_score),
        count(*) FILTER (WHERE sentiment_label = 'positive'),
        count(*) FILTER (WHERE sentiment_label = 'neutral'),
        count(*) FILTER (WHERE sentiment_label = 'negative'),
        avg(confidence_score)
        """;

    /// <summary>The summary of rollup rows: sums of counts, and the averages from the sums of millionths.</summary>
    internal const string RollupSummaryColumns = """
        sum(items)::bigint, (sum(score_micros) / 1e6 / nullif(sum(items), 0))::float8,
        sum(positive)::bigint, sum(neutral)::bigint, sum(negative)::bigint,
        (sum(confidence_micros) / 1e6 / nullif(sum(items), 0))::float8
        """;

    /// <summary>Buckets of a series start at a Monday midnight UTC, so weeks run Monday to Sunday.</summary>
    internal const string BinOrigin = "TIMESTAMPTZ '2000-01-03 00:00:00+00'";

    private const string PostSummaryColumns =
        "id, subreddit, author, title, created_at, sentiment_score, sentiment_label, confidence_score, model_name, model_version";

    public async Task<IReadOnlyList<SubredditSentiment>> SubredditsAsync(TimeRange range, int offset, int limit, CancellationToken ct)
    {
        var span = RollupSpan.Of(range, wholeDays: true);
        var sql = $"""
            WITH {RollupRows(bySubreddit: false)}
            SELECT subreddit, coalesce(sum(items) FILTER (WHERE kind = 'post'), 0)::bigint,
                   coalesce(sum(items) FILTER (WHERE kind = 'comment'), 0)::bigint, {RollupSummaryColumns}
            FROM rollups GROUP BY subreddit HAVING sum(items) > 0
            ORDER BY sum(items) DESC, subreddit LIMIT @limit OFFSET @offset
            """;
        await using var command = dataSource.CreateCommand(sql);
        span.AddParameters(command);
        command.Parameters.AddWithValue("limit", limit);
        command.Parameters.AddWithValue("offset", offset);
        var rows = new List<SubredditSentiment>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new SubredditSentiment(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), ReadSummary(reader, 3)));
        }

        return rows;
    }

    /// <summary>
    /// A subreddit's sentiment per interval. Hours, days and weeks come from the rollups (the range widened to whole
    /// UTC hours, see <see cref="RollupSpan"/>); minutes, finer than any rollup, from the items of at most
    /// <see cref="ReadRequestRules.MaxBuckets"/> minutes, found through the (subreddit, created_at) index.
    /// </summary>
    public async Task<IReadOnlyList<TimeSeriesPoint>> TimeSeriesAsync(string subreddit, TimeRange range, TimeSpan interval, CancellationToken ct)
    {
        string sql;
        RollupSpan? span = null;
        if (interval < TimeSpan.FromHours(1))
        {
            sql = $"""
                SELECT date_bin(@interval, created_at, {BinOrigin}) AS bucket, {SummaryColumns}
                FROM (
                    SELECT created_at, sentiment_score, sentiment_label, confidence_score FROM reddit_posts
                    WHERE subreddit = @subreddit AND created_at >= @from AND created_at < @to
                    UNION ALL
                    SELECT created_at, sentiment_score, sentiment_label, confidence_score FROM reddit_comments
                    WHERE subreddit = @subreddit AND created_at >= @from AND created_at < @to) items
                GROUP BY bucket ORDER BY bucket
                """;
        }
        else
        {
            span = RollupSpan.Of(range, wholeDays: interval >= TimeSpan.FromDays(1));
            sql = $"""
                WITH {RollupRows(bySubreddit: true)}
                SELECT date_bin(@interval, bucket, {BinOrigin}) AS point, {RollupSummaryColumns}
                FROM rollups GROUP BY point HAVING sum(items) > 0 ORDER BY point
                """;
        }

        await using var command = dataSource.CreateCommand(sql);
        if (span is null)
        {
            AddRange(command, range);
        }
        else
        {
            span.AddParameters(command);
        }

        command.Parameters.AddWithValue("subreddit", subreddit);
        command.Parameters.AddWithValue("interval", interval);
        var points = new List<TimeSeriesPoint>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            points.Add(new TimeSeriesPoint(reader.GetFieldValue<DateTimeOffset>(0), ReadSummary(reader, 1)));
        }

        return points;
    }

    public async Task<IReadOnlyList<PostSummary>> PostsAsync(PostQuery query, CancellationToken ct)
    {
        var order = query.Sort switch
        {
            PostSort.SentimentAscending => "sentiment_score ASC, created_at DESC, id",
            PostSort.Newest => "created_at DESC, id",
            _ => "sentiment_score DESC, created_at DESC, id",
        };
        var sql = $"""
            SELECT {PostSummaryColumns} FROM reddit_posts
            WHERE (@subreddit::text IS NULL OR subreddit = @subreddit)
              AND created_at >= @from AND created_at < @to
              AND (@label::text IS NULL OR sentiment_label = @label)
            ORDER BY {order} LIMIT @limit OFFSET @offset
            """;
        await using var command = dataSource.CreateCommand(sql);
        AddRange(command, query.Range);
        command.Parameters.AddWithValue("subreddit", NpgsqlTypes.NpgsqlDbType.Text, (object?)query.Subreddit ?? DBNull.Value);
        command.Parameters.AddWithValue("label", NpgsqlTypes.NpgsqlDbType.Text, (object?)query.Label ?? DBNull.Value);
        command.Parameters.AddWithValue("limit", query.Limit);
        command.Parameters.AddWithValue("offset", query.Offset);
        return await ReadPostsAsync(command, ct);
    }

    public async Task<PostDetail?> PostAsync(string id, int commentLimit, CancellationToken ct)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT {PostSummaryColumns}, body FROM reddit_posts WHERE id = @id") { Parameters = { new("id", id) } });
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT {SummaryColumns} FROM reddit_comments WHERE post_id = @id") { Parameters = { new("id", id) } });
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            SELECT id, parent_id, author, body, created_at, sentiment_score, sentiment_label, confidence_score
            FROM reddit_comments WHERE post_id = @id ORDER BY created_at, id LIMIT @limit
            """) { Parameters = { new("id", id), new("limit", commentLimit) } });

        await using var reader = await batch.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        var post = ReadPost(reader);
        var body = reader.GetString(10);
        await reader.NextResultAsync(ct);
        await reader.ReadAsync(ct);
        var commentSentiment = ReadSummary(reader, 0);
        await reader.NextResultAsync(ct);
        var comments = new List<CommentView>();
        while (await reader.ReadAsync(ct))
        {
            comments.Add(new CommentView(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2),
                reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4), reader.GetFloat(5), reader.GetString(6), reader.GetFloat(7)));
        }

        return new PostDetail(post, body, commentSentiment, comments);
    }

    /// <summary>
    /// Ad-hoc search counts the items that match, through the GIN index within the range: a common word over a long
    /// range matches millions, so a search gets this long and is then refused as too broad (tracked keywords are
    /// the rollup way to follow a term).
    /// </summary>
    public static readonly TimeSpan SearchTimeout = TimeSpan.FromSeconds(5);

    public async Task<SearchResult> SearchAsync(string text, string? subreddit, TimeRange range, int topPosts, CancellationToken ct)
    {
        const string Filter = """
            search_vector @@ websearch_to_tsquery('english', @q)
            AND (@subreddit::text IS NULL OR subreddit = @subreddit) AND created_at >= @from AND created_at < @to
            """;
        var (interval, step) = SearchInterval(range);
        await using var batch = dataSource.CreateBatch();
        // Posts and comments per kind and interval in one pass over the matches: the totals are their sums.
        var matches = Search($"""
            SELECT kind, date_bin(@step, created_at, {BinOrigin}) AS bucket, count(*),
                   sum(sentiment_score::float8), count(*) FILTER (WHERE sentiment_label = 'positive'),
                   count(*) FILTER (WHERE sentiment_label = 'neutral'), count(*) FILTER (WHERE sentiment_label = 'negative'),
                   sum(confidence_score::float8)
            FROM (SELECT 'post' AS kind, created_at, sentiment_score, sentiment_label, confidence_score FROM reddit_posts WHERE {Filter}
                  UNION ALL
                  SELECT 'comment', created_at, sentiment_score, sentiment_label, confidence_score FROM reddit_comments WHERE {Filter}) m
            GROUP BY kind, bucket ORDER BY bucket
            """);
        matches.Parameters.Add(new("step", step));
        batch.BatchCommands.Add(matches);
        var top = Search($"SELECT {PostSummaryColumns} FROM reddit_posts WHERE {Filter} ORDER BY created_at DESC, id LIMIT @limit");
        top.Parameters.Add(new("limit", topPosts));
        batch.BatchCommands.Add(top);

        batch.Timeout = (int)SearchTimeout.TotalSeconds;
        try
        {
            await using var reader = await batch.ExecuteReaderAsync(ct);
            var (posts, comments) = (new SummarySums(), new SummarySums());
            var trend = new SortedDictionary<DateTimeOffset, SummarySums>();
            while (await reader.ReadAsync(ct))
            {
                var bucket = reader.GetFieldValue<DateTimeOffset>(1);
                if (!trend.TryGetValue(bucket, out var point))
                {
                    trend[bucket] = point = new SummarySums();
                }

                var row = new SummarySums(reader.GetInt64(2), reader.GetDouble(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6), reader.GetDouble(7));
                point.Add(row);
                (reader.GetString(0) == "post" ? posts : comments).Add(row);
            }

            await reader.NextResultAsync(ct);
            var found = new List<PostSummary>();
            while (await reader.ReadAsync(ct))
            {
                found.Add(ReadPost(reader));
            }

            return new SearchResult(text, posts.Summary(), comments.Summary(), found, interval,
                trend.Select(p => new TimeSeriesPoint(p.Key, p.Value.Summary())).ToList());
        }
        catch (NpgsqlException error) when (error.InnerException is TimeoutException)
        {
            throw new SearchTooBroadException(
                $"The search matched more than PostgreSQL could count within {SearchTimeout.TotalSeconds:N0} s: narrow the range or name a subreddit, or have an admin track the phrase as a keyword.");
        }

        NpgsqlBatchCommand Search(string sql) => new(sql)
        {
            Parameters =
            {
                new("q", text),
                new("subreddit", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)subreddit ?? DBNull.Value },
                new("from", range.From),
                new("to", range.To),
            },
        };
    }

    /// <summary>The interval of a search's trend: the finest of hour, day, week, 4 and 52 weeks that keeps it to 400 points.</summary>
    public static (string Name, TimeSpan Step) SearchInterval(TimeRange range)
    {
        (string, TimeSpan)[] intervals =
            [("hour", TimeSpan.FromHours(1)), ("day", TimeSpan.FromDays(1)), ("week", TimeSpan.FromDays(7)), ("4 weeks", TimeSpan.FromDays(28)), ("52 weeks", TimeSpan.FromDays(364))];
        return intervals.FirstOrDefault(i => (range.To - range.From) / i.Item2 <= 400, intervals[^1]);
    }

    /// <summary>Counts and sums of scores and confidences, added up before they become averages.</summary>
    private sealed class SummarySums(long count = 0, double scores = 0, long positive = 0, long neutral = 0, long negative = 0, double confidences = 0)
    {
        private long _count = count, _positive = positive, _neutral = neutral, _negative = negative;
        private double _scores = scores, _confidences = confidences;

        public void Add(SummarySums other)
        {
            (_count, _scores, _positive) = (_count + other._count, _scores + other._scores, _positive + other._positive);
            (_neutral, _negative, _confidences) = (_neutral + other._neutral, _negative + other._negative, _confidences + other._confidences);
        }

        public SentimentSummary Summary() => new(_count,
            _count == 0 ? null : Math.Round(_scores / _count, 4), _positive, _neutral, _negative,
            _count == 0 ? null : Math.Round(_confidences / _count, 4));
    }

    /// <summary>
    /// The CTE <c>rollups</c>: daily rows for the whole UTC days of the span, hourly rows for the hours at its edges,
    /// so a 30-day read sums about 30 rows per subreddit and kind, plus at most 46 hourly ones; and the contributions
    /// stored but not yet folded into either (a second's worth), so a read is exact at any moment.
    /// </summary>
    private static string RollupRows(bool bySubreddit)
    {
        var subreddit = bySubreddit ? "subreddit = @subreddit AND " : "";
        const string Columns = "subreddit, kind, bucket, items, positive, neutral, negative, score_micros, confidence_micros";
        return $"""
            rollups AS (
                SELECT {Columns} FROM sentiment_rollup_daily
                WHERE {subreddit}bucket >= @days_from AND bucket < @days_to
                UNION ALL
                SELECT {Columns} FROM sentiment_rollup_hourly
                WHERE {subreddit}((bucket >= @from AND bucket < @days_from) OR (bucket >= @days_to AND bucket < @to))
                UNION ALL
                SELECT {Columns} FROM sentiment_rollup_pending
                WHERE {subreddit}bucket >= @from AND bucket < @to)
            """;
    }

    private static async Task<IReadOnlyList<PostSummary>> ReadPostsAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var posts = new List<PostSummary>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            posts.Add(ReadPost(reader));
        }

        return posts;
    }

    private static PostSummary ReadPost(NpgsqlDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4),
        reader.GetFloat(5), reader.GetString(6), reader.GetFloat(7), reader.GetString(8), reader.GetString(9));

    internal static SentimentSummary ReadSummary(NpgsqlDataReader reader, int first) => new(
        reader.GetInt64(first),
        reader.IsDBNull(first + 1) ? null : Math.Round(reader.GetDouble(first + 1), 4),
        reader.GetInt64(first + 2), reader.GetInt64(first + 3), reader.GetInt64(first + 4),
        reader.IsDBNull(first + 5) ? null : Math.Round(reader.GetDouble(first + 5), 4));

    private static void AddRange(NpgsqlCommand command, TimeRange range)
    {
        command.Parameters.AddWithValue("from", range.From);
        command.Parameters.AddWithValue("to", range.To);
    }
}

/// <summary>[From, To). Its text (ISO 8601, whatever the culture) is part of cache keys.</summary>
public sealed record TimeRange(DateTimeOffset From, DateTimeOffset To)
{
    public override string ToString() => $"{From.UtcDateTime:O}/{To.UtcDateTime:O}";
}

public enum PostSort
{
    SentimentDescending,
    SentimentAscending,
    Newest,
}

public sealed record PostQuery(string? Subreddit, TimeRange Range, string? Label, PostSort Sort, int Offset, int Limit);

/// <summary>A search that matched more than <see cref="SentimentQueries.SearchTimeout"/> allows to count: the caller's to narrow.</summary>
public sealed class SearchTooBroadException(string message) : Exception(message);
