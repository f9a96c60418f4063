using Microsoft.Extensions.Time.Testing;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Scorer.Infrastructure;
using Scorer.Services.Batching;

namespace Scorer.UnitTests.Batching;

public sealed class BatchSchedulerTests : IAsyncLifetime
{
    private readonly FakeModel _model = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private BatchScheduler? _scheduler;

    private BatchScheduler Start(BatchingOptions options) =>
        _scheduler = new BatchScheduler(_model, options, new ScorerTelemetry(_services.GetRequiredService<IMeterFactory>()), _clock);

    private static BatchingOptions Options(int capacity = 100, int maxItems = 32, int maxTokens = 10_000) => new()
    {
        QueueCapacity = capacity,
        MaxBatchItems = maxItems,
        MaxBatchTokens = maxTokens,
        MaxQueueDelay = TimeSpan.Zero,
        Workers = 1,
    };

    /// <summary>Starts a call whose batch the model holds, so later calls queue up behind it.</summary>
    private async Task<Task> OccupyWorkerAsync(BatchScheduler scheduler)
    {
        _model.HoldNextBatch();
        var blocking = scheduler.ScoreAsync(["first"], deadline: null, CancellationToken.None);
        await _model.WaitUntilHeldAsync();
        return blocking;
    }

    [Fact]
    public async Task Concurrent_callers_share_a_batch_ordered_by_length()
    {
        _model.PadsBatches = true; // order only matters to a model that pads
        var scheduler = Start(Options());
        var blocking = await OccupyWorkerAsync(scheduler);

        var calls = new[] { "ccc", "a", "bb" }
            .Select(text => scheduler.ScoreAsync([text], null, CancellationToken.None))
            .ToArray();
        _model.Release();
        await Task.WhenAll(calls);
        await blocking;

        Assert.Equal([["first"], ["a", "bb", "ccc"]], _model.Batches.ToArray());
    }

    [Fact]
    public async Task Results_come_back_in_the_callers_order()
    {
        var scheduler = Start(Options());

        var results = await scheduler.ScoreAsync(["three", "a", "bb"], null, CancellationToken.None);

        Assert.Equal([5f, 1f, 2f], results.Select(r => r.Score));
    }

    [Fact]
    public async Task A_model_that_does_not_pad_gets_its_texts_in_arrival_order()
    {
        var scheduler = Start(Options(maxItems: 2));
        var blocking = await OccupyWorkerAsync(scheduler);

        var calls = new[] { "ccc", "a", "bb" }.Select(text => scheduler.ScoreAsync([text], null, CancellationToken.None)).ToArray();
        _model.Release();
        await Task.WhenAll(calls);
        await blocking;

        Assert.Equal([["ccc", "a"], ["bb"]], _model.Batches.Skip(1).ToArray());
    }

    [Fact]
    public async Task A_batch_closes_at_its_item_limit()
    {
        var scheduler = Start(Options(maxItems: 2));
        var blocking = await OccupyWorkerAsync(scheduler);

        var call = scheduler.ScoreAsync(["a", "b", "c", "d", "e"], null, CancellationToken.None);
        _model.Release();
        await call;
        await blocking;

        Assert.Equal([1, 2, 2, 1], _model.Batches.Select(b => b.Length));
    }

    [Fact]
    public async Task A_batch_closes_at_its_token_budget()
    {
        var scheduler = Start(Options(maxTokens: 10));
        var blocking = await OccupyWorkerAsync(scheduler);

        var call = scheduler.ScoreAsync(["aaaaaa", "bbbbbb", "cc"], null, CancellationToken.None);
        _model.Release();
        await call;
        await blocking;

        Assert.All(_model.Batches.Skip(1), batch => Assert.True(batch.Sum(t => t.Length) <= 10));
        Assert.Equal(3, _model.Batches.Skip(1).Sum(b => b.Length));
    }

    private static readonly string LongText = new('e', 20);

    /// <summary>A padding model whose batch costs 2 tokens more than its padded size, its worker occupied.</summary>
    private async Task<(BatchScheduler Scheduler, Task Blocking)> StartPaddingModelAsync()
    {
        _model.PadsBatches = true;
        var options = Options();
        options.BatchOverheadTokens = 2;
        var scheduler = Start(options);
        return (scheduler, await OccupyWorkerAsync(scheduler));
    }

    [Fact]
    public async Task A_padding_model_gets_short_and_long_texts_in_separate_batches()
    {
        var (scheduler, blocking) = await StartPaddingModelAsync();
        var call = scheduler.ScoreAsync(["a", LongText, "b", "c", "d"], null, CancellationToken.None);
        _model.Release();
        await call;
        await blocking;

        // One batch would be 5 x 20 padded tokens; two are 4 x 1 and 1 x 20, plus two overheads.
        Assert.Equal([["a", "b", "c", "d"], [LongText]], _model.Batches.Skip(1).ToArray());
    }

    [Fact]
    public async Task The_batch_holding_the_oldest_text_runs_first_and_the_rest_are_cut_again_with_later_arrivals()
    {
        var (scheduler, blocking) = await StartPaddingModelAsync();
        var calls = new List<Task> { scheduler.ScoreAsync([LongText], null, CancellationToken.None) };
        calls.AddRange(new[] { "a", "b" }.Select(text => scheduler.ScoreAsync([text], null, CancellationToken.None)));
        _model.HoldNextBatch();
        _model.Release();
        await _model.WaitUntilHeldAsync(); // the long text's batch runs; "a" and "b" stay in the pool
        calls.Add(scheduler.ScoreAsync(["c"], null, CancellationToken.None));
        _model.Release();
        await Task.WhenAll(calls);
        await blocking;

        // The long text came first, so its batch goes first; "c", arriving meanwhile, joins "a" and "b".
        Assert.Equal([[LongText], ["a", "b", "c"]], _model.Batches.Skip(1).ToArray());
    }

    [Fact]
    public async Task A_full_queue_refuses_at_once_and_admits_nothing()
    {
        var scheduler = Start(Options(capacity: 3));
        var blocking = await OccupyWorkerAsync(scheduler);
        var admitted = scheduler.ScoreAsync(["a", "b"], null, CancellationToken.None);

        await Assert.ThrowsAsync<QueueFullException>(() => scheduler.ScoreAsync(["c", "d"], null, CancellationToken.None));
        Assert.Equal(2, scheduler.QueuedTexts);

        _model.Release();
        await admitted;
        await blocking;
        Assert.DoesNotContain(_model.Batches, batch => batch.Contains("c"));
    }

    [Fact]
    public async Task Texts_whose_deadline_passes_in_the_queue_are_dropped_unrun()
    {
        var scheduler = Start(Options());
        var blocking = await OccupyWorkerAsync(scheduler);

        var late = scheduler.ScoreAsync(["late"], _clock.GetUtcNow().AddMilliseconds(50), CancellationToken.None);
        var onTime = scheduler.ScoreAsync(["ontime"], _clock.GetUtcNow().AddMinutes(5), CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(1));
        _model.Release();

        await Assert.ThrowsAsync<DeadlineExpiredException>(() => late);
        await onTime;
        await blocking;
        Assert.DoesNotContain(_model.Batches, batch => batch.Contains("late"));
    }

    [Fact]
    public async Task Cancelled_callers_are_not_run()
    {
        var scheduler = Start(Options());
        var blocking = await OccupyWorkerAsync(scheduler);

        using var cancel = new CancellationTokenSource();
        var cancelled = scheduler.ScoreAsync(["cancelled"], null, cancel.Token);
        await cancel.CancelAsync();
        var after = scheduler.ScoreAsync(["after"], null, CancellationToken.None);
        _model.Release();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        await after;
        await blocking;
        Assert.DoesNotContain(_model.Batches, batch => batch.Contains("cancelled"));
    }

    [Fact]
    public async Task A_failing_batch_fails_its_callers_and_the_next_batch_still_runs()
    {
        var scheduler = Start(Options());
        _model.Predict = text => text == "boom" ? throw new InvalidOperationException("model failure") : default;

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => scheduler.ScoreAsync(["boom"], null, CancellationToken.None));
        var next = await scheduler.ScoreAsync(["fine"], null, CancellationToken.None);

        Assert.Equal("model failure", failure.Message);
        Assert.Single(next);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_scheduler is not null)
        {
            await _scheduler.DisposeAsync();
        }

        await _services.DisposeAsync();
    }
}
