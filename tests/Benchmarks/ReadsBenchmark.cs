using System.CommandLine;
using System.Diagnostics;
using System.Net.Http.Headers;
using Aspire.Hosting.Testing;
using Npgsql;
using NpgsqlTypes;

namespace Benchmarks;

/// <summary>
/// <c>reads</c>: loads <c>--items</c> generated scored items (1,000,000) straight into PostgreSQL with binary COPY
/// (through the storage triggers, so the rollups are kept as the workers keep them), then measures uncached reads
/// through the Gateway (its cache off), one at a time: the subreddit overview of 30 days, the hourly series of one
/// busy subreddit over 30 days, its posts by sentiment, and the hourly trend of a tracked keyword over 30 days.
/// Items spread over the subreddits by a Zipf law (the busiest has about 1/6 of them), over the days with a daily
/// cycle, one in ten a post, texts drawn from the benchmark corpus.
/// </summary>
public static class ReadsBenchmark
{
    private const string Keyword = "people";

    private sealed record Read(string Name, Func<Random, string> Path);

    public static Command Create()
    {
        var items = new Option<int>("--items") { Description = "Scored items to load.", DefaultValueFactory = _ => 1_000_000 };
        var requests = new Option<int>("--requests") { Description = "Requests per read.", DefaultValueFactory = _ => 200 };
        var subreddits = new Option<int>("--subreddits") { Description = "Subreddits the items spread over.", DefaultValueFactory = _ => 200 };
        var days = new Option<int>("--days") { Description = "Days the items spread over.", DefaultValueFactory = _ => 30 };
        var chunk = new Option<int>("--chunk") { Description = "Rows per COPY.", DefaultValueFactory = _ => 100_000 };
        return BenchmarkCommand.Create("reads",
            "The whole app with the Gateway's cache off: generated scored items loaded into PostgreSQL, then uncached reads through the Gateway, one at a time.",
            [items, requests, subreddits, days, chunk],
            (parsed, input) => RunAsync(
                parsed.GetValue(items), parsed.GetValue(requests), parsed.GetValue(subreddits), parsed.GetValue(days), parsed.GetValue(chunk), input));
    }

    public static async Task<int> RunAsync(int items, int requests, int subreddits, int days, int chunk, string? input)
    {
        var texts = Corpus.Load(input);

        await using var harness = await AppHarness.StartAsync(
            "gateway:Gateway__Cache__Enabled=false",
            "gateway:Gateway__RateLimits__TokenLimit=1000000", "gateway:Gateway__RateLimits__TokensPerSecond=1000000");
        await using var database = NpgsqlDataSource.Create((await harness.App.GetConnectionStringAsync(ResourceNames.Database))!);
        var now = DateTimeOffset.UtcNow;
        var start = now.AddDays(-days);

        // Tracked before the load, so that the triggers count its mentions as the items are stored.
        var keywordId = await ScalarAsync<int>(database, $"SELECT id FROM tracked_keyword_add('{Keyword}', NULL)");
        var watch = Stopwatch.StartNew();
        var generator = new ItemGenerator(texts, subreddits, start, now, seed: 20261207);
        for (var loaded = 0; loaded < items;)
        {
            var count = Math.Min(chunk, items - loaded);
            await generator.CopyAsync(database, loaded, count);
            loaded += count;
            Console.Error.WriteLine($"loaded {loaded:N0} of {items:N0} items ({watch.Elapsed.TotalSeconds:F0} s)");
        }

        await ExecuteAsync(database, "ANALYZE reddit_posts, reddit_comments, sentiment_rollup_hourly, sentiment_rollup_daily, keyword_rollup_hourly");
        var loadSeconds = watch.Elapsed.TotalSeconds;

        using var http = new HttpClient { BaseAddress = harness.DirectEndpoint(ResourceNames.Gateway, "http") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await harness.ServiceTokenAsync());
        var range = $"from={Uri.EscapeDataString(start.ToString("O"))}&to={Uri.EscapeDataString(now.ToString("O"))}";
        // The busiest subreddits: the worst case of a series and of a posts page.
        string Busy(Random random) => ItemGenerator.SubredditName(random.Next(10));
        Read[] reads =
        [
            new("overview", _ => $"/api/v1/subreddits?{range}"),
            new("series", r => $"/api/v1/subreddits/{Busy(r)}/timeseries?interval=hour&{range}"),
            new("posts", r => $"/api/v1/posts?subreddit={Busy(r)}&sort={(r.Next(2) == 0 ? "sentiment_desc" : "sentiment_asc")}&{range}"),
            new("keyword", _ => $"/api/v1/keywords/{keywordId}/trend?interval=hour&{range}"),
        ];

        var random = new Random(7);
        var results = new List<(string Name, double P50, double P99, double Max)>();
        foreach (var read in reads)
        {
            for (var i = 0; i < 20; i++)
            {
                await GetAsync(http, read.Path(random)); // warm-up: JIT, connection pools, PostgreSQL's caches
            }

            var latencies = new double[requests];
            for (var i = 0; i < requests; i++)
            {
                var path = read.Path(random);
                var request = Stopwatch.StartNew();
                await GetAsync(http, path);
                latencies[i] = request.Elapsed.TotalMilliseconds;
            }

            Array.Sort(latencies);
            results.Add((read.Name, Percentile(latencies, 0.50), Percentile(latencies, 0.99), latencies[^1]));
        }

        var figures = new Dictionary<string, object> { ["items"] = items, ["load_s"] = Report.Round(loadSeconds) };
        foreach (var (name, p50, p99, _) in results)
        {
            figures[$"{name}_p50_ms"] = Report.Round(p50, 2);
            figures[$"{name}_p99_ms"] = Report.Round(p99, 2);
        }

        Report.Print($"reads: {items:N0} items in {subreddits} subreddits over {days} days; {requests} uncached requests per read, one at a time",
            [
                ("load (COPY through the rollup triggers), s", Report.F(loadSeconds, 1)),
                ("load, items/s", Report.N(items / loadSeconds)),
                .. results.Select(r => ($"{r.Name}: p50 / p99 / max ms", $"{Report.F(r.P50)} / {Report.F(r.P99)} / {Report.F(r.Max)}")),
            ],
            figures);
        return 0;
    }

    private static async Task GetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        await response.Content.ReadAsByteArrayAsync();
    }

    private static double Percentile(double[] sorted, double share) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(share * sorted.Length) - 1)];

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource database, string sql)
    {
        await using var command = database.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(NpgsqlDataSource database, string sql)
    {
        await using var command = database.CreateCommand(sql);
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Scored items with a realistic spread, the same for the same seed.</summary>
    private sealed class ItemGenerator(string[] texts, int subreddits, DateTimeOffset start, DateTimeOffset end, int seed)
    {
        private static readonly string[] Labels = ["negative", "neutral", "positive"];
        private readonly double[] _zipf = Cumulative(Enumerable.Range(1, subreddits).Select(rank => 1.0 / rank).ToArray());
        private readonly Random _random = new(seed);

        public static string SubredditName(int rank) => $"bench{rank:D3}";

        public async Task CopyAsync(NpgsqlDataSource database, int first, int count)
        {
            await using var connection = await database.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            var posts = count / 10;
            await CopyAsync(connection, "reddit_posts (id, subreddit, author, title, body, created_at, reddit_score, permalink, " + SentimentColumns + ")",
                first, posts, post: true);
            await CopyAsync(connection, "reddit_comments (id, post_id, parent_id, subreddit, author, body, created_at, reddit_score, permalink, " + SentimentColumns + ")",
                first + posts, count - posts, post: false);
            await transaction.CommitAsync();
        }

        private const string SentimentColumns =
            "sentiment_score, sentiment_label, confidence_score, positive_prob, neutral_prob, negative_prob, truncated, model_name, model_version, scored_at";

        private async Task CopyAsync(NpgsqlConnection connection, string target, int first, int count, bool post)
        {
            await using var importer = await connection.BeginBinaryImportAsync($"COPY {target} FROM STDIN (FORMAT BINARY)");
            for (var i = first; i < first + count; i++)
            {
                var at = Array.BinarySearch(_zipf, _random.NextDouble());
                var subreddit = SubredditName(at < 0 ? ~at : at);
                var created = Created();
                var text = texts[_random.Next(texts.Length)];
                await importer.StartRowAsync();
                await importer.WriteAsync($"b{i:x}", NpgsqlDbType.Text);
                if (post)
                {
                    await importer.WriteAsync(subreddit, NpgsqlDbType.Text);
                    await importer.WriteAsync($"u{_random.Next(100_000)}", NpgsqlDbType.Text);
                    await importer.WriteAsync(text, NpgsqlDbType.Text);
                    await importer.WriteAsync("", NpgsqlDbType.Text);
                }
                else
                {
                    var parent = $"b{_random.Next(Math.Max(1, first)):x}";
                    await importer.WriteAsync(parent, NpgsqlDbType.Text);
                    await importer.WriteAsync($"t3_{parent}", NpgsqlDbType.Text);
                    await importer.WriteAsync(subreddit, NpgsqlDbType.Text);
                    await importer.WriteAsync($"u{_random.Next(100_000)}", NpgsqlDbType.Text);
                    await importer.WriteAsync(text, NpgsqlDbType.Text);
                }

                await importer.WriteAsync(created.UtcDateTime, NpgsqlDbType.TimestampTz);
                await importer.WriteAsync(_random.Next(-20, 500), NpgsqlDbType.Integer);
                await importer.WriteNullAsync();
                await WriteSentimentAsync(importer, created);
            }

            await importer.CompleteAsync();
        }

        private async Task WriteSentimentAsync(NpgsqlBinaryImporter importer, DateTimeOffset created)
        {
            var draw = _random.NextDouble();
            var label = draw < 0.25 ? 0 : draw < 0.65 ? 1 : 2;
            var confidence = (float)(0.4 + 0.6 * _random.NextDouble());
            var score = (float)(label switch { 0 => -0.2 - 0.8 * _random.NextDouble(), 1 => 0.6 * _random.NextDouble() - 0.3, _ => 0.2 + 0.8 * _random.NextDouble() });
            var rest = (1 - confidence) / 2;
            await importer.WriteAsync(score, NpgsqlDbType.Real);
            await importer.WriteAsync(Labels[label], NpgsqlDbType.Text);
            await importer.WriteAsync(confidence, NpgsqlDbType.Real);
            await importer.WriteAsync(label == 2 ? confidence : rest, NpgsqlDbType.Real);
            await importer.WriteAsync(label == 1 ? confidence : rest, NpgsqlDbType.Real);
            await importer.WriteAsync(label == 0 ? confidence : rest, NpgsqlDbType.Real);
            await importer.WriteAsync(false, NpgsqlDbType.Boolean);
            await importer.WriteAsync("accurate", NpgsqlDbType.Text);
            await importer.WriteAsync("benchmark", NpgsqlDbType.Text);
            await importer.WriteAsync(created.UtcDateTime.AddSeconds(30), NpgsqlDbType.TimestampTz);
        }

        /// <summary>Uniform over the days, twice as dense in the (UTC) evening as in the early morning.</summary>
        private DateTimeOffset Created()
        {
            while (true)
            {
                var at = start + (end - start) * _random.NextDouble();
                var cycle = 0.75 + 0.25 * Math.Sin((at.UtcDateTime.TimeOfDay.TotalHours - 12) / 24 * 2 * Math.PI);
                if (_random.NextDouble() < cycle)
                {
                    return at;
                }
            }
        }

        private static double[] Cumulative(double[] weights)
        {
            var total = weights.Sum();
            var cumulative = new double[weights.Length];
            var sum = 0.0;
            for (var i = 0; i < weights.Length; i++)
            {
                sum += weights[i];
                cumulative[i] = sum / total;
            }

            cumulative[^1] = 1.0;
            return cumulative;
        }
    }
}
