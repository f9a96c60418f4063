using System.Collections.Concurrent;

namespace Gateway.Infrastructure;

/// <summary>
/// Callers that ask for the same key while its value is being made share that one making, rather than each
/// making it again (a cache stampede: when a hot aggregate expires, every connection in flight would run the
/// same PostgreSQL query at once). The making is forgotten once it ends, so a failure is retried by the next caller.
/// </summary>
public sealed class SingleFlight<T>
{
    private readonly ConcurrentDictionary<string, Lazy<Task<T>>> _flights = new(StringComparer.Ordinal);

    /// <summary>
    /// The value of <paramref name="key"/> from <paramref name="make"/>, or from the making already under way.
    /// <paramref name="cancellationToken"/> stops this caller's wait only: the making goes on for the others.
    /// </summary>
    public Task<T> RunAsync(string key, Func<Task<T>> make, CancellationToken cancellationToken)
    {
        var flight = _flights.GetOrAdd(key, static (key, state) =>
        {
            var (flights, make) = state;
            Lazy<Task<T>>? flight = null;
            flight = new Lazy<Task<T>>(() => MakeThenForgetAsync(flights, key, flight!, make));
            return flight;
        }, (_flights, make));
        return flight.Value.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Forgets the flight before its task completes, so that nobody who sees the outcome can still join it; and
    /// removes exactly this flight (one racing in under the same key afterwards is left alone).
    /// </summary>
    private static async Task<T> MakeThenForgetAsync(
        ConcurrentDictionary<string, Lazy<Task<T>>> flights, string key, Lazy<Task<T>> flight, Func<Task<T>> make)
    {
        try
        {
            return await make().ConfigureAwait(false);
        }
        finally
        {
            flights.TryRemove(KeyValuePair.Create(key, flight));
        }
    }

    /// <summary>Makings under way now (for tests and diagnostics).</summary>
    public int InFlight => _flights.Count;
}
