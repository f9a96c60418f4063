using Collector.Ingestion;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Collector.Ingestion.Dumps;

/// <summary>
/// Ingests a dump file or a folder of them (<c>.ndjson</c>, <c>.jsonl</c>, <c>.json</c>, <c>.zst</c>, in name
/// order), resuming each file where an earlier run stopped, from a checkpoint per file.
/// </summary>
/// <remarks>
/// A record counts as handled once the consumer asks for the next one; the source then saves the file's
/// checkpoint every <see cref="DumpOptions.CheckpointEveryRecords"/> records, when the consumer stops early, and
/// at the end of the file (<see cref="DumpCheckpoint.Completed"/>). After a crash at most that many records are
/// read again: delivery is at least once, which the id-keyed upserts downstream absorb. A consumer that
/// buffers records must have passed them on durably before asking for the next one.
/// A file whose compressed stream is corrupt ends with a <c>stream_error</c> record and is not marked completed
/// (the next run retries it, and reports it again without a second record: the checkpoint it was parked at is
/// kept); the folder goes on with the next file. Both, and files of a folder that are not dumps, are listed in
/// the <see cref="DumpProgress"/>.
/// </remarks>
public sealed class DumpSource(DumpFileReader reader, IDumpCheckpointStore checkpoints, IOptions<DumpOptions> options,
    ILogger<DumpSource> logger)
{
    private readonly int _checkpointEvery = options.Value.CheckpointEveryRecords;

    public IAsyncEnumerable<DumpSourceRecord> ReadAsync(string path, CancellationToken cancellationToken) =>
        ReadAsync(path, progress: null, cancellationToken);

    /// <summary>Record by record; the checkpoint advances a chunk of <c>CheckpointEveryRecords</c> at a time.</summary>
    public async IAsyncEnumerable<DumpSourceRecord> ReadAsync(string path, DumpProgress? progress,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var chunk in ReadChunksAsync(path, _checkpointEvery, progress, cancellationToken))
        {
            foreach (var record in chunk.Records)
            {
                yield return new DumpSourceRecord(chunk.File, record);
            }
        }
    }

    /// <summary>
    /// Chunks of up to <paramref name="chunkSize"/> records of one file. A chunk counts as handled once the
    /// consumer asks for the next one: only then is the file's checkpoint moved past it. A consumer that
    /// stops or crashes mid-chunk gets that chunk again on the next run (at least once, never lost).
    /// </summary>
    /// <param name="path">A dump file, or a folder whose dump files are read in name order (not recursively).</param>
    /// <param name="progress">Updated as the files are read (bytes on disk); may be null.</param>
    public async IAsyncEnumerable<DumpChunk> ReadChunksAsync(string path, int chunkSize, DumpProgress? progress,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        var files = DumpFiles.List(path);
        if (files.Count == 0)
        {
            logger.LogWarning("No dump files ({Extensions}) in {Path}", string.Join(", ", DumpFiles.Extensions), path);
        }

        foreach (var other in DumpFiles.NotDumps(path))
        {
            logger.LogWarning("Skipping {File}: not a dump file ({Extensions})", other, string.Join(", ", DumpFiles.Extensions));
            progress?.Skip(other);
        }

        progress?.StartSet(files.Count, files.Sum(file => new FileInfo(file).Length));
        foreach (var file in files)
        {
            var length = new FileInfo(file).Length;
            var start = await checkpoints.GetAsync(file, cancellationToken);
            if (start == DumpCheckpoint.Completed)
            {
                logger.LogInformation("Skipping dump file {File}: completed by an earlier run", file);
                progress?.CompleteFile(length);
                continue;
            }

            logger.LogInformation("Reading dump file {File} ({Length} bytes) from offset {Offset}", file, length, start);
            var parkedErrorAt = await checkpoints.GetParkedErrorAsync(file, cancellationToken);
            var confirmed = start;
            long records = 0, failures = 0;
            string? streamError = null;
            var chunk = new List<DumpRecord>(chunkSize);
            await foreach (var record in reader.ReadAsync(file, start, progress, cancellationToken))
            {
                records++;
                if (!record.Result.IsSuccess)
                {
                    failures++;
                    if (record.Result.ReasonCode == MappingReasons.StreamError)
                    {
                        streamError = record.Result.Reason;
                        if (parkedErrorAt == start)
                        {
                            continue; // an earlier run parked this file's unreadable rest from the same checkpoint
                        }
                    }
                }

                chunk.Add(record);
                if (chunk.Count == chunkSize)
                {
                    yield return new DumpChunk(file, [.. chunk]);
                    confirmed = chunk[^1].NextOffset;
                    chunk.Clear();
                    await checkpoints.SetAsync(file, confirmed, cancellationToken);
                }
            }

            if (chunk.Count > 0)
            {
                yield return new DumpChunk(file, [.. chunk]);
                confirmed = chunk[^1].NextOffset;
                chunk.Clear();
            }

            if (streamError is not null)
            {
                logger.LogError("Dump file {File} is unreadable from offset {Offset} on ({Reason}); it stays unfinished and is retried on the next run",
                    file, confirmed, streamError);
                await checkpoints.SetAsync(file, confirmed, cancellationToken);
                await checkpoints.SetParkedErrorAsync(file, confirmed, cancellationToken);
                progress?.LeaveUnfinished(new UnfinishedDumpFile(file, confirmed, streamError));
            }
            else
            {
                logger.LogInformation("Finished dump file {File}: {Records} records, {Failures} not mapped", file, records, failures);
                await checkpoints.SetAsync(file, DumpCheckpoint.Completed, cancellationToken);
            }

            progress?.CompleteFile(length);
        }
    }
}
