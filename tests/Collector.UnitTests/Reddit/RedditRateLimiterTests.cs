using Microsoft.Extensions.Time.Testing;
using System.Net.Http.Headers;
using Collector.Ingestion.Reddit;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Collector.UnitTests.Reddit;

/// <summary>The limiter alone, on a clock that moves only when told, fed recorded headers.</summary>
public sealed class RedditRateLimiterTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    private RedditRateLimiter CreateLimiter(TimeSpan minimumDelay) =>
        new(Options.Create(new RedditOptions { RateLimitDelay = minimumDelay }), _clock, NullLogger<RedditRateLimiter>.Instance);

    private static HttpResponseHeaders Headers(string? remaining, string? used, string? reset)
    {
        using var response = new HttpResponseMessage();
        if (remaining is not null)
        {
            response.Headers.Add("x-ratelimit-remaining", remaining);
        }

        if (used is not null)
        {
            response.Headers.Add("x-ratelimit-used", used);
        }

        if (reset is not null)
        {
            response.Headers.Add("x-ratelimit-reset", reset);
        }

        return response.Headers;
    }

    [Fact]
    public void First_request_goes_at_once_and_the_next_waits_the_minimum_delay()
    {
        var limiter = CreateLimiter(TimeSpan.FromSeconds(1));

        Assert.Equal(TimeSpan.Zero, limiter.Reserve());
        Assert.Equal(TimeSpan.FromSeconds(1), limiter.Reserve());
    }

    [Fact]
    public void Remaining_requests_are_spread_evenly_over_the_rest_of_the_window()
    {
        var limiter = CreateLimiter(TimeSpan.Zero);
        limiter.Reserve();

        limiter.Update(Headers("10.0", "590", "100"));

        Assert.Equal(new RateLimitState(10, 590, _clock.GetUtcNow().AddSeconds(100)), limiter.Current);
        Assert.Equal(TimeSpan.FromSeconds(10), limiter.Reserve());
    }

    [Fact]
    public void Spacing_is_never_below_the_minimum_delay()
    {
        var limiter = CreateLimiter(TimeSpan.FromSeconds(1));
        limiter.Reserve();

        limiter.Update(Headers("598.0", "2", "60"));

        Assert.Equal(TimeSpan.FromSeconds(1), limiter.Spacing);
        Assert.Equal(TimeSpan.FromSeconds(1), limiter.Reserve());
    }

    [Fact]
    public void Used_up_window_waits_for_the_reset_then_paces_again()
    {
        var limiter = CreateLimiter(TimeSpan.FromSeconds(1));
        limiter.Reserve();

        limiter.Update(Headers("0.0", "1000", "42"));

        Assert.Equal(TimeSpan.FromSeconds(42), limiter.Reserve());
        _clock.Advance(TimeSpan.FromSeconds(42));
        Assert.Equal(TimeSpan.FromSeconds(1), limiter.Reserve());
    }

    [Fact]
    public void Time_already_waited_counts_towards_the_spacing()
    {
        var limiter = CreateLimiter(TimeSpan.Zero);
        limiter.Reserve();
        limiter.Update(Headers("10.0", "590", "100"));

        _clock.Advance(TimeSpan.FromSeconds(4));

        Assert.Equal(TimeSpan.FromSeconds(6), limiter.Reserve());
    }

    [Fact]
    public void A_response_without_headers_counts_as_one_request_of_the_last_window()
    {
        var limiter = CreateLimiter(TimeSpan.Zero);
        limiter.Reserve();
        limiter.Update(Headers("2.0", "598", "100"));
        Assert.Equal(TimeSpan.FromSeconds(50), limiter.Spacing);

        limiter.Update(Headers(null, null, null));

        Assert.Equal(1, limiter.Current!.Remaining);
        Assert.Equal(599, limiter.Current.Used);
        Assert.Equal(TimeSpan.FromSeconds(100), limiter.Spacing);
    }

    [Fact]
    public void Malformed_headers_are_ignored()
    {
        var limiter = CreateLimiter(TimeSpan.FromSeconds(1));
        limiter.Reserve();

        limiter.Update(Headers("lots", "2", "60"));

        Assert.Null(limiter.Current);
        Assert.Equal(TimeSpan.FromSeconds(1), limiter.Spacing);
    }

    [Fact]
    public void A_bogus_reset_is_capped_at_the_ten_minute_window()
    {
        var limiter = CreateLimiter(TimeSpan.Zero);
        limiter.Reserve();

        limiter.Update(Headers("0.0", "1000", "86400"));

        Assert.Equal(TimeSpan.FromMinutes(10), limiter.Reserve());
    }

    [Fact]
    public void Concurrent_callers_take_turns_instead_of_bursting()
    {
        var limiter = CreateLimiter(TimeSpan.Zero);
        limiter.Reserve();
        limiter.Update(Headers("20.0", "580", "100"));

        var waits = Enumerable.Range(0, 3).Select(_ => limiter.Reserve()).ToList();

        Assert.Equal([TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(15)], waits);
    }

    [Fact]
    public async Task WaitAsync_waits_on_the_injected_clock()
    {
        var limiter = CreateLimiter(TimeSpan.FromSeconds(3));
        await limiter.WaitAsync(CancellationToken.None);

        var waiting = limiter.WaitAsync(CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.False(waiting.IsCompleted);

        _clock.Advance(TimeSpan.FromSeconds(1));
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Lanes_take_turns_so_a_backlog_does_not_starve_the_others()
    {
        var limiter = CreateLimiter(TimeSpan.FromSeconds(1));
        await limiter.WaitAsync(CancellationToken.None); // the next slot is a second away: everyone below queues
        var backlog = new RequestLane(RequestLane.Listing, "busy");
        var granted = new List<string>();
        var waits = new List<Task>();
        foreach (var (lane, name) in new[] { (backlog, "b1"), (backlog, "b2"), (backlog, "b3"), (backlog, "b4") }
            .Append((RequestLane.ThreadOf("quiet"), "t1")).Append((new RequestLane(RequestLane.Refresh), "r1")).Append((backlog, "b5")).Append((RequestLane.ThreadOf("quiet"), "t2")))
        {
            waits.Add(limiter.WaitAsync(lane, CancellationToken.None).ContinueWith(_ => { lock (granted) { granted.Add(name); } }, TaskScheduler.Default));
        }

        for (var i = 0; i < waits.Count; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            await Eventually(() => granted.Count == i + 1);
        }

        Assert.Equal(["b1", "t1", "r1", "b2", "t2", "b3", "b4", "b5"], granted);
    }

    [Fact]
    public async Task A_cancelled_wait_gives_its_turn_up()
    {
        var limiter = CreateLimiter(TimeSpan.FromSeconds(1));
        await limiter.WaitAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var cancelled = limiter.WaitAsync(RequestLane.ThreadOf("a"), cancel.Token);
        var waiting = limiter.WaitAsync(RequestLane.ThreadOf("b"), CancellationToken.None);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        _clock.Advance(TimeSpan.FromSeconds(1));

        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static async Task Eventually(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}
