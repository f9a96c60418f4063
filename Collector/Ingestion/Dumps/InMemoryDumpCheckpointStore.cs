using System.Collections.Concurrent;

namespace Collector.Ingestion.Dumps;

/// <summary>Checkpoints that last as long as the process: for tests and one-off local runs.</summary>
public sealed class InMemoryDumpCheckpointStore : IDumpCheckpointStore
{
    private readonly ConcurrentDictionary<string, long> _offsets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _parkedErrors = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, long> Offsets => _offsets;

    public Task<long> GetAsync(string file, CancellationToken cancellationToken) =>
        Task.FromResult(_offsets.GetValueOrDefault(file));

    public Task SetAsync(string file, long offset, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        _offsets[file] = offset;
        return Task.CompletedTask;
    }

    public Task<long?> GetParkedErrorAsync(string file, CancellationToken cancellationToken) =>
        Task.FromResult(_parkedErrors.TryGetValue(file, out var checkpoint) ? checkpoint : (long?)null);

    public Task SetParkedErrorAsync(string file, long checkpoint, CancellationToken cancellationToken)
    {
        _parkedErrors[file] = checkpoint;
        return Task.CompletedTask;
    }
}
