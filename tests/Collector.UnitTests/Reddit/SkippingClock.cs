using System.Collections.Concurrent;

namespace Collector.UnitTests.Reddit;

/// <summary>
/// A clock whose delays finish at once: each timer moves the clock forward by its due time, fires on the
/// thread pool and is recorded in <see cref="Delays"/>. Pipeline tests assert the waits the client asked
/// for without spending them.
/// </summary>
internal sealed class SkippingClock : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly ConcurrentQueue<TimeSpan> _delays = new();
    private DateTimeOffset _now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public IReadOnlyList<TimeSpan> Delays => [.. _delays];

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public void Advance(TimeSpan by)
    {
        lock (_lock)
        {
            _now += by;
        }
    }

    public void ClearDelays() => _delays.Clear();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            _delays.Enqueue(dueTime);
            Advance(dueTime);
            ThreadPool.QueueUserWorkItem(_ => callback(state));
        }

        return new InertTimer();
    }

    private sealed class InertTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => true;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
