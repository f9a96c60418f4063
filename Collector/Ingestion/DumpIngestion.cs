using Collector.Ingestion.Dumps;
using Microsoft.Extensions.Options;

namespace Collector.Ingestion;

/// <summary>
/// Backfill: streams a dump file or folder through the <see cref="IngestionPipeline"/> a chunk at a time. A
/// chunk is queued before the next is read, which is what moves the file's checkpoint, so a crash re-reads
/// at most one chunk (absorbed by the upserts) and never skips one.
/// </summary>
public sealed class DumpIngestion(DumpSource source, IngestionPipeline pipeline, IOptions<IngestionOptions> options,
    TimeProvider time, ILogger<DumpIngestion> logger)
{
    private static readonly TimeSpan ReportEvery = TimeSpan.FromSeconds(5);

    /// <summary>What a run did: records read, queued and parked; files left out as not dumps, and files unreadable to their end.</summary>
    public sealed record Summary(long Records, long Queued, long Invalid, IReadOnlyList<string> Skipped, IReadOnlyList<UnfinishedDumpFile> Unfinished)
    {
        /// <summary>When the items read were created (earliest, latest); null when none mapped.</summary>
        public (DateTimeOffset Earliest, DateTimeOffset Latest)? Created { get; init; }
    }

    public async Task<Summary> IngestAsync(string path, CancellationToken cancellationToken)
    {
        var progress = new DumpProgress();
        long records = 0, queued = 0, invalid = 0;
        DateTimeOffset? earliest = null, latest = null;
        var lastReport = time.GetTimestamp();

        await foreach (var chunk in source.ReadChunksAsync(path, options.Value.ChunkSize, progress, cancellationToken))
        {
            var batch = chunk.Records.Select(r => new SourceRecord(r.Result, $"{chunk.File}@{r.Offset}")).ToList();
            foreach (var item in chunk.Records.Select(r => r.Result.Item).OfType<Model.RedditItem>())
            {
                earliest = earliest is null || item.CreatedAt < earliest ? item.CreatedAt : earliest;
                latest = latest is null || item.CreatedAt > latest ? item.CreatedAt : latest;
            }

            var result = await pipeline.AcceptAsync(batch, $"dump:{Path.GetFileName(chunk.File)}", cancellationToken);
            records += batch.Count;
            queued += result.Queued;
            invalid += result.Invalid;

            if (time.GetElapsedTime(lastReport) > ReportEvery)
            {
                logger.LogInformation("Ingesting {File}: {Percent:F1}% ({Records} records, {Queued} queued, {Invalid} parked)",
                    progress.CurrentFile, progress.Percent, records, queued, invalid);
                lastReport = time.GetTimestamp();
            }
        }

        logger.LogInformation("Ingested {Path}: {Records} records, {Queued} queued, {Invalid} parked", path, records, queued, invalid);
        return new Summary(records, queued, invalid, progress.Skipped, progress.Unfinished)
        {
            Created = earliest is { } first && latest is { } last ? (first, last) : null,
        };
    }
}
