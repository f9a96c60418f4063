using Collector.Infrastructure;
using Collector.Model;
using Collector.Queues;
using Collector.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Collector.Workers;

/// <summary>
/// One batch, start to end: take up to <c>BATCH_SIZE</c> entries into the worker's processing list, score
/// them with <c>MODEL_TYPE</c>, upsert them into PostgreSQL, then acknowledge. While the Scorer or the
/// database is overloaded or down the batch stays owned and is retried with backoff: the queues grow,
/// nothing is dropped. Input the Scorer refuses goes to the failed queue with its reason.
/// </summary>
public sealed class ScoringWorker(
    RedisWorkQueue queue,
    ISentimentScorer scorer,
    ScoredItemWriter writer,
    IOptions<WorkerOptions> options,
    CollectorTelemetry telemetry,
    TimeProvider time,
    ILogger<ScoringWorker> logger)
{
    private static readonly string[] PostsFirst = [RedisKeys.ReprocessQueue, RedisKeys.PostsQueue, RedisKeys.CommentsQueue];
    private static readonly string[] CommentsFirst = [RedisKeys.ReprocessQueue, RedisKeys.CommentsQueue, RedisKeys.PostsQueue];

    /// <summary>Processes one batch; returns how many entries it took (0 when the queues are empty).</summary>
    public async Task<int> RunOnceAsync(string workerId, bool commentsFirst, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var taken = await queue.TakeAsync(workerId, settings.BatchSize, commentsFirst ? CommentsFirst : PostsFirst);
        if (taken.Count == 0)
        {
            return 0;
        }

        var started = time.GetTimestamp();
        using var activity = CollectorTelemetry.ActivitySource.StartActivity("process batch");
        activity?.SetTag("collector.batch.size", taken.Count);

        var work = await ParseAsync(taken);
        var scored = await ScoreAsync(work, settings, cancellationToken);
        var stored = await StoreAsync(scored, settings, cancellationToken);

        await queue.AckAsync(workerId, stored, stored > 0 ? scored.Select(s => s.Item.Subreddit) : []);
        telemetry.Processed(settings.ModelType, stored);
        telemetry.BatchDone(time.GetElapsedTime(started));
        return taken.Count;
    }

    private async Task<List<QueueEnvelope>> ParseAsync(IReadOnlyList<string> taken)
    {
        var work = new List<QueueEnvelope>(taken.Count);
        foreach (var value in taken)
        {
            var entry = QueueEnvelope.TryParse(value);
            if (entry is null)
            {
                await FailAsync(new QueueEnvelope { Raw = value, Source = "unknown", EnqueuedAt = time.GetUtcNow() }, "malformed", "malformed_entry: not a queue envelope");
            }
            else if (entry.Item is null)
            {
                // A record that never became an item (it was parked by ingestion) cannot be scored.
                await FailAsync(entry, entry.Stage ?? "validation", entry.Reason ?? "not_reprocessable: the entry has no item");
            }
            else
            {
                // From the reprocess queue: a fresh start.
                work.Add(entry.Reason is null ? entry : entry with { Reason = null, Stage = null, FailedAt = null, Attempts = 0 });
            }
        }

        return work;
    }

    private async Task<List<ScoredItem>> ScoreAsync(List<QueueEnvelope> work, WorkerOptions settings, CancellationToken cancellationToken)
    {
        if (work.Count == 0)
        {
            return [];
        }

        try
        {
            var results = await WithBackoffAsync(
                () => scorer.ScoreAsync(settings.ModelType, work.ConvertAll(e => e.Item!.ScoredText), cancellationToken),
                e => e is ScorerUnavailableException, "the Scorer", settings, cancellationToken);
            return work.Zip(results, ToScored).ToList();
        }
        catch (ScorerRejectedException) when (work.Count > 1)
        {
            // One bad text must not sink its batch: find it by scoring each alone.
            var scored = new List<ScoredItem>(work.Count);
            foreach (var entry in work)
            {
                scored.AddRange(await ScoreAsync([entry], settings, cancellationToken));
            }

            return scored;
        }
        catch (ScorerRejectedException rejected)
        {
            await FailAsync(work[0], "scoring", $"scorer_rejected: {rejected.Message}");
            return [];
        }
    }

    private async Task<int> StoreAsync(List<ScoredItem> scored, WorkerOptions settings, CancellationToken cancellationToken)
    {
        if (scored.Count == 0)
        {
            return 0;
        }

        try
        {
            await WithBackoffAsync(async () =>
            {
                await writer.WriteAsync(scored, cancellationToken);
                return true;
            }, e => e is NpgsqlException { IsTransient: true }, "PostgreSQL", settings, cancellationToken);
            return scored.Count;
        }
        catch (PostgresException error)
        {
            // A non-transient refusal (a constraint): count an attempt for each item, fail them past the limit.
            logger.LogError(error, "PostgreSQL refused a batch of {Count} items", scored.Count);
            foreach (var item in scored)
            {
                var entry = new QueueEnvelope { Item = item.Item, Source = "worker", Attempts = 1 };
                await FailAsync(entry, "storage", $"storage_refused: {error.SqlState} {error.MessageText}");
            }

            return 0;
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

    private async Task FailAsync(QueueEnvelope entry, string stage, string reason)
    {
        await queue.FailAsync(entry, stage, reason);
        telemetry.Failed(stage, reason);
        logger.LogWarning("Parked {Item} in the failed queue at {Stage}: {Reason}", entry.FailedItemKey, stage, reason);
    }

    private ScoredItem ToScored(QueueEnvelope entry, ScoreResult result) => new(
        entry.Item!, result.Label, result.Score, result.Confidence, result.Negative, result.Neutral, result.Positive,
        result.Truncated, result.Model, result.ModelVersion, time.GetUtcNow());
}
