using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Collector.Model;
using Collector.Queues;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Platform.IntegrationTests;

/// <summary>
/// Stops the Scorer while items are queued and starts it again: the workers keep their batches through the
/// outage and store every item once after it. How long they took to resume is written to the test's output
/// (and recorded in docs/benchmarks.md); it is a measurement, not an assertion.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class ScorerOutageTests(PlatformFixture platform, ITestOutputHelper output) : IAsyncLifetime
{
    private const int Items = 200;
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(20); // long enough for the workers' backoff to reach its cap
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    private ConnectionMultiplexer _redis = null!;
    private NpgsqlDataSource _database = null!;

    public async Task InitializeAsync()
    {
        _redis = await ConnectionMultiplexer.ConnectAsync((await platform.App.GetConnectionStringAsync(ResourceNames.Redis))!);
        _database = NpgsqlDataSource.Create((await platform.App.GetConnectionStringAsync(ResourceNames.Database))!);
    }

    [Fact]
    public async Task Workers_hold_their_batches_while_the_scorer_is_down_and_store_everything_once_it_returns()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var subreddit = $"outage{run}";
        var db = _redis.GetDatabase();
        var baseline = await PipelineTiming.TimeToStoreAsync(platform, Items, "scorer up", Deadline);
        var processedBefore = (long)await db.StringGetAsync(RedisKeys.ProcessedCount);
        var commands = platform.App.Services.GetRequiredService<ResourceCommandService>();
        var notifications = platform.App.ResourceNotifications;
        using var timeout = new CancellationTokenSource(Deadline);

        var stopped = await commands.ExecuteCommandAsync(ResourceNames.Scorer, KnownResourceCommands.StopCommand, timeout.Token);
        Assert.True(stopped.Success, stopped.Message);
        await notifications.WaitForResourceAsync(ResourceNames.Scorer, e => KnownResourceStates.TerminalStates.Contains(e.Snapshot.State?.Text), timeout.Token);
        try
        {
            await db.ListLeftPushAsync(RedisKeys.CommentsQueue, Enumerable.Range(0, Items).Select(i =>
                (RedisValue)TestItems.Envelope(RedditItemKind.Comment, $"o{run}{i}", $"reply {i}, all good", subreddit).Serialize()).ToArray());
            await Task.Delay(Outage); // fault injection, not a timing assertion
            Assert.Equal(0, await _database.CountCommentsAsync(subreddit));
        }
        finally
        {
            var started = await commands.ExecuteCommandAsync(ResourceNames.Scorer, KnownResourceCommands.StartCommand, CancellationToken.None);
            Assert.True(started.Success, started.Message);
        }

        await notifications.WaitForResourceHealthyAsync(ResourceNames.Scorer, timeout.Token);
        var back = Stopwatch.StartNew();
        Assert.True(await Eventually.HoldsAsync(async _ => await _database.CountCommentsAsync(subreddit) == Items, Deadline), "the queued items were not stored after the Scorer returned");
        output.WriteLine($"all {Items} items stored {back.Elapsed.TotalSeconds:F1} s after the Scorer reported healthy again ({baseline.TotalSeconds:F1} s for as many while it was up)");

        Assert.True(await Eventually.HoldsAsync(async _ => (long)await db.StringGetAsync(RedisKeys.ProcessedCount) - processedBefore >= Items, Deadline));
        Assert.Equal(Items, (long)await db.StringGetAsync(RedisKeys.ProcessedCount) - processedBefore);
    }


    public async Task DisposeAsync()
    {
        await _redis.DisposeAsync();
        await _database.DisposeAsync();
    }
}
