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
/// the window are spread evenly over the time left in it instead of being spent in a burst, never closer
/// together than <see cref="RedditOptions.RateLimitDelay"/>, and nothing is sent before the reset once the
/// window is used up. Callers take turns: each <see cref="Reserve"/> books the next slot, so concurrent
/// requests are spaced too.
/// </summary>
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
        lock (_lock)
        {
            var now = timeProvider.GetUtcNow();
            var slot = now > _nextSlot ? now : _nextSlot;
            _lastSlot = slot;
            _nextSlot = slot + _spacing;
            return slot - now;
        }
    }

    /// <summary>Waits for the caller's turn (<see cref="Reserve"/>), on the injected clock.</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        var delay = Reserve();
        if (delay > TimeSpan.Zero)
        {
            logger.LogDebug("Waiting {Delay} before the next Reddit request", delay);
            await Task.Delay(delay, timeProvider, cancellationToken);
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
