namespace Collector.Ingestion.Dumps;

/// <summary>
/// Where a <see cref="DumpSource"/> keeps, per file, the decompressed offset to resume from. Keys are full
/// file paths. Values are offsets, or <see cref="DumpCheckpoint.Completed"/> for a file read to its end.
/// </summary>
public interface IDumpCheckpointStore
{
    /// <summary>The saved offset of <paramref name="file"/>; 0 when none was saved.</summary>
    Task<long> GetAsync(string file, CancellationToken cancellationToken);

    Task SetAsync(string file, long offset, CancellationToken cancellationToken);

    /// <summary>The checkpoint at which the file's unreadable rest was last parked; null when it never was.</summary>
    Task<long?> GetParkedErrorAsync(string file, CancellationToken cancellationToken);

    Task SetParkedErrorAsync(string file, long checkpoint, CancellationToken cancellationToken);
}

public static class DumpCheckpoint
{
    /// <summary>The checkpoint of a file read to its end: it is skipped without being opened.</summary>
    public const long Completed = long.MaxValue;
}
