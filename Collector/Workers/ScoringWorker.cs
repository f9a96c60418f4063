using Collector.Infrastructure;
using Collector.Model;
using Collector.Queues;
using Collector.Storage;
using System.Collections.Concurrent;
using Collector.Validation;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Collector.Workers;

/// <summary>
/// One batch, start to end: take up to <c>BATCH_SIZE</c> entries into the worker's processing list, score
/// them with <c>MODEL_TYPE</c>, upsert them into PostgreSQL, then acknowledge. While the Scorer or the
/// database is overloaded or down the batch stays owned and is retried with backoff: the queues grow,
/// nothing is dropped. A text the Scorer refuses, or an item PostgreSQL refuses, goes to the failed queue with
/// its reason and its delivery history, alone: the rest of its batch is stored. Entries moved back from the
/// failed queue (<c>reddit:reprocess:queue</c>) are validated again, so what validation parked stays parked.
/// A batch left unfinished in the worker's processing list (a take whose reply a Redis stall swallowed, an ack
/// that failed) is taken again before anything new; one that keeps failing is parked after
/// <see cref="WorkerOptions.MaxAttempts"/> tries instead of holding the worker.
/// </summary>
public sealed class ScoringWorker(
    RedisWorkQueue queue,
    ISentimentScorer scorer,
    ScoredItemWriter writer,
    ItemValidator validator,
    IOptions<WorkerOptions> options,
    CollectorTelemetry telemetry,
    TimeProvider time,
    ILogger<ScoringWorker> logger)
{
    private static readonly string[] PostsFirst = [RedisKeys.ReprocessQueue, RedisKeys.PostsQueue, RedisKeys.CommentsQueue];
    private static readonly string[] CommentsFirst = [RedisKeys.ReprocessQueue, RedisKeys.CommentsQueue, RedisKeys.PostsQueue];

    /// <summary>Consecutive times each worker took back a batch it held unfinished.</summary>
    private readonly ConcurrentDictionary<string, int> _heldRetakes = new(StringComparer.Ordinal);

    /// <summary>Processes one batch; returns how many entries it took (0 when the queues are empty).</summary>
    public async Task<int> RunOnceAsync(string workerId, bool commentsFirst, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var taken = await queue.TakeAsync(workerId, settings.BatchSize, commentsFirst ? CommentsFirst : PostsFirst);
        if (taken.Values.Count == 0)
        {
            return 0;
        }

        var held = taken.Values.Select(value => new HeldEntry(workerId, value)).ToList();
        if (!taken.Held)
        {
            _heldRetakes.TryRemove(workerId, out _); // the last batch's ack ran, even if its reply was lost
        }
        else if (_heldRetakes.AddOrUpdate(workerId, 1, (_, n) => n + 1) is var retakes && retakes >= settings.MaxAttempts)
        {
            await GiveUpAsync(held, retakes);
            return held.Count;
        }
        else
        {
            logger.LogWarning("Worker {Worker} takes back the {Count} entries it held unfinished (try {Try})", workerId, held.Count, retakes + 1);
        }

        var started = time.GetTimestamp();
        using var activity = CollectorTelemetry.ActivitySource.StartActivity("process batch");
        activity?.SetTag("collector.batch.size", held.Count);

        var work = await ParseAsync(held);
        var scored = await ScoreAsync(work, settings, cancellationToken);
        var stored = await StoreAsync(scored, settings, cancellationToken);

        await queue.AckAsync(workerId, stored.Count, stored.Select(s => s.Item.Subreddit));
        _heldRetakes.TryRemove(workerId, out _);
        telemetry.Processed(settings.ModelType, stored.Count);
        telemetry.BatchDone(time.GetElapsedTime(started));
        return held.Count;
    }

    /// <summary>A batch that failed every try (not a refusal: the worker itself failed on it) is parked whole.</summary>
    private async Task GiveUpAsync(List<HeldEntry> held, int tries)
    {
        foreach (var entry in held)
        {
            var parsed = QueueEnvelope.TryParse(entry.Value) ?? new QueueEnvelope { Raw = entry.Value, Source = "unknown", EnqueuedAt = time.GetUtcNow() };
            await FailAsync(entry, parsed with { Attempts = parsed.Attempts + tries }, "worker", $"worker_failed: the batch failed {tries} times");
        }

        _heldRetakes.TryRemove(held[0].WorkerId, out _);
    }

    /// <summary>An entry to score: what it is, and where it is held.</summary>
    private readonly record struct WorkEntry(HeldEntry Held, QueueEnvelope Entry);

    private async Task<List<WorkEntry>> ParseAsync(List<HeldEntry> taken)
    {
        var work = new List<WorkEntry>(taken.Count);
        foreach (var held in taken)
        {
            var entry = QueueEnvelope.TryParse(held.Value);
            if (entry is null)
            {
                await FailAsync(held, new QueueEnvelope { Raw = held.Value, Source = "unknown", EnqueuedAt = time.GetUtcNow() }, "malformed", "malformed_entry: not a queue envelope");
            }
            else if (entry.Item is null)
            {
                // A record that never became an item (it was parked by ingestion) cannot be scored.
                await FailAsync(held, entry, entry.Stage ?? "validation", entry.Reason ?? "not_reprocessable: the entry has no item");
            }
            else if (entry.Reason is null)
            {
                work.Add(new WorkEntry(held, entry));
            }
            else if (validator.Validate(entry.Item) is { IsValid: false } verdict)
            {
                // From the reprocess queue, but still invalid (deleted, removed, not allowed, too long): parked again.
                await FailAsync(held, entry, "validation", verdict.Reason!);
            }
            else
            {
                // From the reprocess queue: a fresh start.
                work.Add(new WorkEntry(held, entry with { Reason = null, Stage = null, FailedAt = null, Attempts = 0 }));
            }
        }

        return work;
    }

    /// <summary>An entry and what scoring made of it: the entry keeps its history for a later failure.</summary>
    private readonly record struct ScoredEntry(WorkEntry Work, ScoredItem Item);

    private async Task<List<ScoredEntry>> ScoreAsync(List<WorkEntry> work, WorkerOptions settings, CancellationToken cancellationToken)
    {
        if (work.Count == 0)
        {
            return [];
        }

        try
        {
            var results = await WithBackoffAsync(
                () => scorer.ScoreAsync(settings.ModelType, work.ConvertAll(w => w.Entry.Item!.ScoredText), cancellationToken),
                e => e is ScorerUnavailableException, "the Scorer", settings, cancellationToken);
            return work.Zip(results, (entry, result) => new ScoredEntry(entry, ToScored(entry.Entry, result))).ToList();
        }
        catch (ScorerRejectedException) when (work.Count > 1)
        {
            // One bad text must not sink its batch: find it by scoring each alone.
            var scored = new List<ScoredEntry>(work.Count);
            foreach (var entry in work)
            {
                scored.AddRange(await ScoreAsync([entry], settings, cancellationToken));
            }

            return scored;
        }
        catch (ScorerRejectedException rejected)
        {
            await FailAsync(work[0].Held, work[0].Entry, "scoring", $"scorer_rejected: {rejected.Message}");
            return [];
        }
    }

    /// <summary>Stores the batch; returns what was stored (all of it unless PostgreSQL refused items).</summary>
    private async Task<List<ScoredItem>> StoreAsync(List<ScoredEntry> scored, WorkerOptions settings, CancellationToken cancellationToken)
    {
        if (scored.Count == 0)
        {
            return [];
        }

        var items = scored.ConvertAll(s => s.Item);
        try
        {
            await WithBackoffAsync(async () =>
            {
                await writer.WriteAsync(items, cancellationToken);
                return true;
            }, e => e is NpgsqlException { IsTransient: true }, "PostgreSQL", settings, cancellationToken);
            return items;
        }
        catch (PostgresException error) when (scored.Count > 1)
        {
            // A refusal that retrying cannot cure (a constraint, a value it cannot hold) is one item's, not the
            // batch's: halve until the refused items stand alone; the rest is stored.
            logger.LogWarning("PostgreSQL refused a batch of {Count} items ({SqlState}); storing it in halves to find the refused items", scored.Count, error.SqlState);
            var half = scored.Count / 2;
            var stored = await StoreAsync(scored[..half], settings, cancellationToken);
            stored.AddRange(await StoreAsync(scored[half..], settings, cancellationToken));
            return stored;
        }
        catch (PostgresException error)
        {
            var (held, entry) = scored[0].Work;
            logger.LogError(error, "PostgreSQL refused {Item}", entry.FailedItemKey);
            await FailAsync(held, entry with { Attempts = entry.Attempts + 1 }, "storage", $"storage_refused: {error.SqlState} {error.MessageText}");
            return [];
        }
    }

    private async Task<T> WithBackoffAsync<T>(Func<Task<T>> action, Func<Exception, bool> isTransient, string dependency,
        WorkerOptions settings, CancellationToken cancellationToken)
    {
        var delay = settings.MinBackoff;
        while (true)
        {
            try
            {
                return await action();
            }
            catch (Exception error) when (isTransient(error) && !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("{Dependency} is unavailable ({Error}); retrying the batch in {Delay}", dependency, error.Message, delay);
                await Task.Delay(delay + TimeSpan.FromMilliseconds(Random.Shared.Next(0, (int)(delay.TotalMilliseconds / 2) + 1)), time, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, settings.MaxBackoff.Ticks));
            }
        }
    }

    private async Task FailAsync(HeldEntry held, QueueEnvelope entry, string stage, string reason)
    {
        await queue.FailAsync(entry, stage, reason, held);
        telemetry.Failed(stage, reason);
        logger.LogWarning("Parked {Item} in the failed queue at {Stage}: {Reason}", entry.FailedItemKey, stage, reason);
    }

    private ScoredItem ToScored(QueueEnvelope entry, ScoreResult result) => new(
        entry.Item!, result.Label, result.Score, result.Confidence, result.Negative, result.Neutral, result.Positive,
        result.Truncated, result.Model, result.ModelVersion, time.GetUtcNow());
}
