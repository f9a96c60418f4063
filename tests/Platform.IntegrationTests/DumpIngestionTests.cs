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
        Assert.True(await Eventually.HoldsAsync(async _ => await CountAsync($"dumps{run}") == 30, TimeSpan.FromMinutes(2)),
            "not every valid dump line reached PostgreSQL");
        Assert.True(await Eventually.HoldsAsync(async _ => (long)await db.StringGetAsync(RedisKeys.ProcessedCount) - processedBefore == 30, TimeSpan.FromMinutes(1)));
        Assert.Equal(3, (long)await db.StringGetAsync(RedisKeys.FailedCount) - failedBefore);

        var parked = (await db.ListRangeAsync(RedisKeys.FailedQueue, 0, 20)).Select(v => QueueEnvelope.TryParse(v!)!)
            .Where(e => e.Source == $"dump:RC_{run}.ndjson").ToList();
        Assert.Equal(["invalid_json", "missing_created_utc", "text_removed"], parked.Select(e => e.Reason!.Split(':')[0]).Order());

        // Ingesting the same file again is a no-op: its checkpoint says it is complete.
        Assert.Equal(0, (await IngestAsync(file)).Records);
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

    private async Task<long> CountAsync(string subreddit)
    {
        await using var command = _database.CreateCommand("SELECT count(*) FROM reddit_comments WHERE subreddit = @s");
        command.Parameters.AddWithValue("s", subreddit);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async Task DisposeAsync()
    {
        await _redis.DisposeAsync();
        await _database.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
