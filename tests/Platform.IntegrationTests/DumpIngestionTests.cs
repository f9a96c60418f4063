using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Collector.Extensions;
using Collector.Ingestion;
using Collector.Queues;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using StackExchange.Redis;

namespace Platform.IntegrationTests;

/// <summary>
/// A dump file through the whole path — the Collector's <c>ingest</c> code (reader, validation, queues)
/// against the running Redis, then its workers, the Scorer and PostgreSQL.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class DumpIngestionTests(PlatformFixture platform) : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("dump-fixture-").FullName;
    private ConnectionMultiplexer _redis = null!;
    private NpgsqlDataSource _database = null!;
    private string _redisConnection = null!;

    public async Task InitializeAsync()
    {
        _redisConnection = (await platform.App.GetConnectionStringAsync(ResourceNames.Redis))!;
        _redis = await ConnectionMultiplexer.ConnectAsync(_redisConnection);
        _database = NpgsqlDataSource.Create((await platform.App.GetConnectionStringAsync(ResourceNames.Database))!);
    }

    [Fact]
    public async Task A_dump_is_ingested_scored_and_stored_with_bad_lines_parked()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var created = DateTimeOffset.UtcNow.AddDays(-1).ToUnixTimeSeconds();
        var lines = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            // created_utc in each era's shape: int, float, string.
            var createdUtc = (i % 3) switch { 0 => $"{created}", 1 => $"{created}.0", _ => $"\"{created}\"" };
            lines.Add($$"""{"id":"d{{run}}{{i}}","link_id":"t3_x{{run}}","parent_id":"t3_x{{run}}","subreddit":"dumps{{run}}","author":"u{{i}}","body":"{{(i % 2 == 0 ? "love this" : "hate this")}}","created_utc":{{createdUtc}},"score":{{i}}}""");
        }

        lines.Add($$"""{"id":"r{{run}}","subreddit":"dumps{{run}}","author":"[deleted]","body":"[removed]","created_utc":{{created}}}""");
        lines.Add($$"""{"id":"n{{run}}","subreddit":"dumps{{run}}","author":"x","body":"no time"}""");
        lines.Add("""{"id": "broken", "body": """);
        var file = Path.Combine(_folder, $"RC_{run}.ndjson");
        await File.WriteAllLinesAsync(file, lines);

        var db = _redis.GetDatabase();
        var processedBefore = (long)await db.StringGetAsync(RedisKeys.ProcessedCount);
        var failedBefore = (long)await db.StringGetAsync(RedisKeys.FailedCount);

        var summary = await IngestAsync(file);

        Assert.Equal((33L, 30L, 3L), (summary.Records, summary.Queued, summary.Invalid));
        Assert.True(await Eventually.HoldsAsync(async _ => await _database.CountCommentsAsync($"dumps{run}") == 30, TimeSpan.FromMinutes(2)),
            "not every valid dump line reached PostgreSQL");
        Assert.True(await Eventually.HoldsAsync(async _ => (long)await db.StringGetAsync(RedisKeys.ProcessedCount) - processedBefore == 30, TimeSpan.FromMinutes(1)));
        Assert.Equal(3, (long)await db.StringGetAsync(RedisKeys.FailedCount) - failedBefore);

        var parked = (await db.ListRangeAsync(RedisKeys.FailedQueue, 0, 20)).Select(v => QueueEnvelope.TryParse(v!)!)
            .Where(e => e.Source == $"dump:RC_{run}.ndjson").ToList();
        Assert.Equal(["invalid_json", "missing_created_utc", "text_removed"], parked.Select(e => e.Reason!.Split(':')[0]).Order());

        // Ingesting the same file again is a no-op: its checkpoint says it is complete.
        Assert.Equal(0, (await IngestAsync(file)).Records);
    }

    [Fact]
    public async Task The_ingest_command_reads_gzip_decodes_entities_names_skipped_files_and_fails_on_a_corrupt_file_once()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var created = DateTimeOffset.UtcNow.AddDays(-1).ToUnixTimeSeconds();
        string Comment(string id, string body) =>
            $$"""{"id":"{{id}}","link_id":"t3_g{{run}}","subreddit":"gz{{run}}","author":"u","body":"{{body}}","created_utc":{{created}}}""";

        var folder = Directory.CreateDirectory(Path.Combine(_folder, run)).FullName;
        // A comment carrying a title stays a comment: the file's name says what its lines are.
        var gzipLines = string.Join("\n", Comment($"g{run}0", "&gt; quoted &amp; answered"), Comment($"g{run}1", "fine").Replace("\"body\"", "\"title\":\"t\",\"body\"")) + "\n";
        await File.WriteAllBytesAsync(Path.Combine(folder, $"RC_{run}a.ndjson.gz"), Gzip(gzipLines));
        var many = string.Concat(Enumerable.Range(0, 3000).Select(i => Comment($"z{run}{i}", $"comment number {i} is a fine one") + "\n"));
        var compressed = Zstd(many);
        await File.WriteAllBytesAsync(Path.Combine(folder, $"RC_{run}b.zst"), compressed[..(compressed.Length / 2)]);
        await File.WriteAllTextAsync(Path.Combine(folder, "notes.txt"), "not a dump");
        var db = _redis.GetDatabase();
        var failedBefore = (long)await db.StringGetAsync(RedisKeys.FailedCount);

        var (exit, output, errors) = await RunIngestAsync(folder);

        Assert.True(exit == 1, $"exit {exit}: {output} {errors}");
        Assert.Contains($"RC_{run}b.zst is unreadable after byte", errors);
        Assert.Contains("skipped 1 files that are not dumps", errors);
        Assert.Contains("notes.txt", errors);
        Assert.DoesNotContain("   at ", errors);
        Assert.Equal(1, (long)await db.StringGetAsync(RedisKeys.FailedCount) - failedBefore); // the corrupt tail, parked once
        Assert.True(await Eventually.HoldsAsync(async _ => await BodyAsync($"g{run}0") is not null && await BodyAsync($"g{run}1") is not null, TimeSpan.FromMinutes(2)),
            "the gzip file's comments did not reach PostgreSQL");
        Assert.Equal("> quoted & answered", await BodyAsync($"g{run}0"));
        Assert.Equal("fine", await BodyAsync($"g{run}1"));

        // Run again: the damaged file is still reported and still fails the command, but is not parked twice.
        var again = await RunIngestAsync(folder);
        Assert.Equal(1, again.Exit);
        Assert.Contains($"RC_{run}b.zst is unreadable after byte", again.Errors);
        Assert.Equal(1, (long)await db.StringGetAsync(RedisKeys.FailedCount) - failedBefore);
    }

    [Fact]
    public async Task A_dump_read_again_after_a_crash_parks_its_bad_records_once()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var created = DateTimeOffset.UtcNow.AddDays(-1).ToUnixTimeSeconds();
        var file = Path.Combine(_folder, $"RC_{run}.ndjson");
        await File.WriteAllLinesAsync(file,
        [
            $$"""{"id":"k{{run}}","link_id":"t3_x","subreddit":"again{{run}}","author":"u","body":"fine","created_utc":{{created}}}""",
            $$"""{"id":"d{{run}}","link_id":"t3_x","subreddit":"again{{run}}","author":"u","body":"[deleted]","created_utc":{{created}}}""",
            """{"id": "broken", "body": """,
            """{"id": "also broken", "body": """,
        ]);
        var db = _redis.GetDatabase();
        var failedBefore = (long)await db.StringGetAsync(RedisKeys.FailedCount);

        Assert.Equal(3, (await IngestAsync(file)).Invalid);
        // A crash before the checkpoint moved: the next run reads the same records again.
        await db.KeyDeleteAsync(RedisKeys.DumpCheckpoint(file));
        Assert.Equal(3, (await IngestAsync(file)).Invalid);

        Assert.Equal(3, (long)await db.StringGetAsync(RedisKeys.FailedCount) - failedBefore);
        var parked = (await db.ListRangeAsync(RedisKeys.FailedQueue, 0, 50)).Select(v => QueueEnvelope.TryParse(v!)!)
            .Count(e => e.Source == $"dump:RC_{run}.ndjson");
        Assert.Equal(3, parked);
    }

    private async Task<(int Exit, string Output, string Errors)> RunIngestAsync(string path)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var settings = new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{ResourceNames.Redis}"] = _redisConnection,
            [$"ConnectionStrings:{ResourceNames.Database}"] = "Host=unused",
        };
        var exit = await Collector.Cli.CollectorCommandLine.RunAsync(["ingest", path], settings, output, errors);
        return (exit, output.ToString(), errors.ToString());
    }

    private static byte[] Gzip(string text)
    {
        using var output = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Fastest))
        {
            gzip.Write(System.Text.Encoding.UTF8.GetBytes(text));
        }

        return output.ToArray();
    }

    private static byte[] Zstd(string text)
    {
        using var output = new MemoryStream();
        using (var zstd = new ZstdSharp.CompressionStream(output, 3))
        {
            zstd.Write(System.Text.Encoding.UTF8.GetBytes(text));
        }

        return output.ToArray();
    }

    private async Task<DumpIngestion.Summary> IngestAsync(string path)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection([
            new($"ConnectionStrings:{ResourceNames.Redis}", _redisConnection),
            new($"ConnectionStrings:{ResourceNames.Database}", "Host=unused"),
        ]);
        builder.AddApplicationServices();
        await using var app = builder.Build();
        return await app.Services.GetRequiredService<DumpIngestion>().IngestAsync(path, CancellationToken.None);
    }

    private async Task<string?> BodyAsync(string id)
    {
        await using var command = _database.CreateCommand("SELECT body FROM reddit_comments WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        return (string?)await command.ExecuteScalarAsync();
    }


    public async Task DisposeAsync()
    {
        await _redis.DisposeAsync();
        await _database.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
