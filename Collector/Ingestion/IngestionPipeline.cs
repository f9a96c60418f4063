using Collector.Infrastructure;
using Collector.Model;
using Collector.Queues;
using Collector.Validation;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Collector.Ingestion;

/// <summary>
/// One record from a source: what it mapped to, and where it came from (<c>file@offset</c>, <c>api:t3_…</c>) or,
/// where the source cannot be read again, the record itself (an API child's JSON); kept with parked failures.
/// </summary>
public readonly record struct SourceRecord(MappingResult Result, string Origin);

/// <summary>
/// What every source feeds: records are validated, valid items queued for the workers, and bad ones parked
/// in <c>reddit:failed:queue</c> with their reason (never dropped, never a crash). Waits while the queues
/// are over <see cref="IngestionOptions.MaxBacklog"/>.
/// </summary>
public sealed class IngestionPipeline(
    RedisWorkQueue queue,
    IConnectionMultiplexer redis,
    ItemValidator validator,
    IOptions<IngestionOptions> options,
    CollectorTelemetry telemetry,
    TimeProvider time,
    ILogger<IngestionPipeline> logger)
{
    public sealed record Result(int Queued, int Invalid);

    public async Task<Result> AcceptAsync(IReadOnlyList<SourceRecord> records, string source, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var valid = new List<QueueEnvelope>(records.Count);
        var invalid = 0;
        foreach (var record in records)
        {
            if (!record.Result.IsSuccess)
            {
                await ParkAsync(new QueueEnvelope { Raw = record.Origin, Source = source, EnqueuedAt = now }, "malformed", record.Result.Reason);
                invalid++;
                continue;
            }

            var verdict = validator.Validate(record.Result.Item);
            if (!verdict.IsValid)
            {
                await ParkAsync(new QueueEnvelope { Item = record.Result.Item, Raw = record.Origin, Source = source, EnqueuedAt = now },
                    "validation", verdict.Reason!);
                invalid++;
                continue;
            }

            valid.Add(new QueueEnvelope { Item = record.Result.Item, Source = source, EnqueuedAt = now });
        }

        if (valid.Count > 0)
        {
            await WaitForRoomAsync(cancellationToken);
            await queue.EnqueueAsync(valid);
            foreach (var kind in valid.GroupBy(v => v.Item!.Kind))
            {
                telemetry.Ingested(SourceKind(source), kind.Key == RedditItemKind.Post ? "post" : "comment", kind.Count());
            }
        }

        return new Result(valid.Count, invalid);
    }

    private async Task ParkAsync(QueueEnvelope entry, string stage, string reason)
    {
        // Parked with the item only where it is complete enough to be reprocessed; a record parked by an
        // earlier read of the same source is not parked again.
        if (await queue.ParkOnceAsync(entry, stage, reason))
        {
            telemetry.Invalid(reason);
        }
    }

    private async Task WaitForRoomAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var db = redis.GetDatabase();
        var warned = false;
        while (Math.Max(await db.ListLengthAsync(RedisKeys.PostsQueue), await db.ListLengthAsync(RedisKeys.CommentsQueue)) > settings.MaxBacklog)
        {
            if (!warned)
            {
                logger.LogInformation("Queues are over {MaxBacklog} items; ingestion waits for the workers", settings.MaxBacklog);
                warned = true;
            }

            await Task.Delay(settings.BacklogPollInterval, time, cancellationToken);
        }
    }

    /// <summary><c>api</c> or <c>dump</c>: the metric's label stays small whatever the file or subreddit.</summary>
    private static string SourceKind(string source) => source.Split(':', 2)[0];
}
