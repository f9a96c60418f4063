using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Collector.Ingestion.Reddit;

/// <summary>What Reddit's last rate-limit headers said.</summary>
/// <param name="Remaining">Requests left in the window (<c>x-ratelimit-remaining</c>, a float).</param>
/// <param name="Used">Requests used in the window (<c>x-ratelimit-used</c>).</param>
/// <param name="ResetAt">When the window ends (now + <c>x-ratelimit-reset</c> seconds).</param>
public sealed record RateLimitState(double Remaining, int Used, DateTimeOffset ResetAt);

/// <summary>
/// Paces requests from Reddit's <c>x-ratelimit-*</c> headers, as prawcore does: the requests remaining in
/// the window are spread evenly over the time left in it instead of being spent in a burst (1,000 requests in
/// 10 minutes is one every 0.6 s), never closer together than <see cref="RedditOptions.RateLimitDelay"/> when an
/// operator sets one, and nothing is sent before the reset once the window is used up.
/// </summary>
/// <remarks>
/// Slots are booked one after another (<see cref="Reserve"/>), so concurrent requests are spaced too, and each
/// slot goes to a <see cref="RequestLane"/> in turn: of the lanes with a request waiting when the slot comes,
/// the one served longest ago. A subreddit paging through a backlog, a thread with hundreds of <c>more</c>
/// links or a refresh pass therefore share the budget with every other subreddit and kind of work instead of
/// holding it until they are done.
/// </remarks>
public sealed class RedditRateLimiter(
    IOptions<RedditOptions> options,
    TimeProvider timeProvider,
    ILogger<RedditRateLimiter> logger)
{
    /// <summary>Reddit's windows are 10 minutes; a longer reset is a bogus header, not a reason to stall.</summary>
    internal static readonly TimeSpan MaxReset = TimeSpan.FromMinutes(10);

    private readonly Lock _lock = new();
    private readonly TimeSpan _minimumDelay = options.Value.RateLimitDelay;
    private TimeSpan _spacing = options.Value.RateLimitDelay;
    private DateTimeOffset _lastSlot = DateTimeOffset.MinValue;
    private DateTimeOffset _nextSlot = DateTimeOffset.MinValue;
    private DateTimeOffset _pausedUntil = DateTimeOffset.MinValue;
    private RateLimitState? _state;

    // Waiting requests by lane, and the lanes in the order they are served next (longest unserved first).
    private readonly Dictionary<RequestLane, Queue<TaskCompletionSource>> _waiting = [];
    private readonly LinkedList<RequestLane> _turns = new();
    private bool _dispatching;

    /// <summary>The state from the last headers (decremented for responses without them); null before any.</summary>
    public RateLimitState? Current
    {
        get
        {
            lock (_lock)
            {
                return _state;
            }
        }
    }

    /// <summary>The spacing the limiter keeps between requests now.</summary>
    public TimeSpan Spacing
    {
        get
        {
            lock (_lock)
            {
                return _spacing;
            }
        }
    }

    /// <summary>Books the caller's turn and says how long to wait for it (zero when it may send now).</summary>
    public TimeSpan Reserve()
    {
        lock (_lock) // re-entered from the dispatcher, which holds it already
        {
            var now = timeProvider.GetUtcNow();
            var slot = now > _nextSlot ? now : _nextSlot;
            _lastSlot = slot;
            _nextSlot = slot + _spacing;
            return slot - now;
        }
    }

    /// <summary>Waits for a turn of the <see cref="RequestLane.Default"/> lane.</summary>
    public Task WaitAsync(CancellationToken cancellationToken) => WaitAsync(RequestLane.Default, cancellationToken);

    /// <summary>
    /// Waits until a slot is booked (<see cref="Reserve"/>) and handed to <paramref name="lane"/>, on the injected
    /// clock. A cancelled wait gives its place up.
    /// </summary>
    public async Task WaitAsync(RequestLane lane, CancellationToken cancellationToken)
    {
        var turn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bool startDispatcher;
        lock (_lock)
        {
            if (!_waiting.TryGetValue(lane, out var queue))
            {
                _waiting[lane] = queue = new Queue<TaskCompletionSource>();
            }

            queue.Enqueue(turn);
            if (!_turns.Contains(lane))
            {
                _turns.AddLast(lane);
            }

            startDispatcher = !_dispatching;
            _dispatching = true;
        }

        if (startDispatcher)
        {
            _ = DispatchAsync();
        }

        await using (cancellationToken.Register(() => turn.TrySetCanceled(cancellationToken)))
        {
            await turn.Task;
        }
    }

    /// <summary>Books slots while anyone waits and gives each to the lane whose turn it is.</summary>
    private async Task DispatchAsync()
    {
        while (true)
        {
            TimeSpan delay;
            lock (_lock)
            {
                if (!AnyWaiting())
                {
                    _dispatching = false;
                    return;
                }

                delay = Reserve();
            }

            if (delay > TimeSpan.Zero)
            {
                logger.LogDebug("Waiting {Delay} before the next Reddit request", delay);
                await Task.Delay(delay, timeProvider);
            }

            lock (_lock)
            {
                GrantNextTurn();
            }
        }
    }

    private bool AnyWaiting()
    {
        foreach (var queue in _waiting.Values)
        {
            while (queue.TryPeek(out var turn) && turn.Task.IsCompleted)
            {
                queue.Dequeue(); // cancelled meanwhile
            }

            if (queue.Count > 0)
            {
                return true;
            }
        }

        return false;
    }

    private void GrantNextTurn()
    {
        for (var node = _turns.First; node is not null; node = _turns.First)
        {
            var lane = node.Value;
            _turns.RemoveFirst();
            var queue = _waiting[lane];
            while (queue.TryDequeue(out var turn))
            {
                if (turn.TrySetResult())
                {
                    if (queue.Count > 0)
                    {
                        _turns.AddLast(lane);
                    }
                    else
                    {
                        _waiting.Remove(lane);
                    }

                    return;
                }
            }

            _waiting.Remove(lane);
        }
    }

    /// <summary>
    /// Learns from a response's headers. A response without them (an error page) counts as one request
    /// of the window last seen, which errs on the safe side.
    /// </summary>
    public void Update(HttpResponseHeaders headers)
    {
        var parsed = TryParse(headers, out var remaining, out var used, out var resetSeconds);
        lock (_lock)
        {
            var now = timeProvider.GetUtcNow();
            if (parsed)
            {
                var reset = TimeSpan.FromSeconds(Math.Clamp(resetSeconds, 0, MaxReset.TotalSeconds));
                Apply(new RateLimitState(remaining, used, now + reset), now);
            }
            else if (_state is { } last && last.ResetAt > now)
            {
                Apply(last with { Remaining = last.Remaining - 1, Used = last.Used + 1 }, now);
            }
        }
    }

    private void Apply(RateLimitState state, DateTimeOffset now)
    {
        _state = state;
        if (state.Remaining < 1)
        {
            // Nothing left: wait for the new window, then start again at the minimum delay.
            _pausedUntil = state.ResetAt;
            _spacing = _minimumDelay;
            logger.LogWarning(
                "Reddit rate limit used up ({Used} used); pausing requests until the window resets in {Reset}",
                state.Used, state.ResetAt - now);
        }
        else
        {
            var evenShare = (state.ResetAt - now) / state.Remaining;
            _spacing = evenShare > _minimumDelay ? evenShare : _minimumDelay;
        }

        // Measured from the last booked slot, so turns already handed out keep their order and spacing.
        var next = _lastSlot == DateTimeOffset.MinValue ? now : _lastSlot + _spacing;
        _nextSlot = next > _pausedUntil ? next : _pausedUntil;
    }

    private static bool TryParse(HttpResponseHeaders headers, out double remaining, out int used, out double resetSeconds)
    {
        remaining = resetSeconds = 0;
        used = 0;
        return TryGetNumber(headers, "x-ratelimit-remaining", out remaining)
            && TryGetNumber(headers, "x-ratelimit-reset", out resetSeconds)
            && TryGetNumber(headers, "x-ratelimit-used", out var usedValue)
            && (used = (int)Math.Round(usedValue)) >= 0;
    }

    private static bool TryGetNumber(HttpResponseHeaders headers, string name, out double value)
    {
        value = 0;
        return headers.TryGetValues(name, out var values)
            && double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out value)
            && double.IsFinite(value);
    }
}
