using System.Net;
using System.Net.Http.Headers;
using Collector.Ingestion.Reddit;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Collector.UnitTests.Reddit;

/// <summary>The retry policy alone, fed recorded responses and failures.</summary>
public sealed class RedditRetryPolicyTests
{
    private readonly SkippingClock _clock = new();

    private RedditRetryPolicy CreatePolicy(int maxRetries = 3, double jitter = 1) =>
        new(Options.Create(new RedditOptions { MaxRetries = maxRetries }), _clock, NullLogger<RedditRetryPolicy>.Instance)
        {
            Jitter = () => jitter,
        };

    private static HttpResponseMessage Response(int status, params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage((HttpStatusCode)status);
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }

    [Theory]
    [InlineData(408)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    [InlineData(520)]
    [InlineData(522)]
    public void Transient_statuses_back_off_exponentially(int status)
    {
        var policy = CreatePolicy();
        using var response = Response(status);

        var delays = Enumerable.Range(0, 4).Select(retry => policy.GetRetryDelay(retry, response, null)).ToList();

        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8)], delays);
    }

    [Fact]
    public void Backoff_has_full_jitter_and_a_cap()
    {
        using var response = Response(503);

        Assert.Equal(TimeSpan.FromSeconds(2), CreatePolicy(jitter: 0.5).GetRetryDelay(2, response, null));
        Assert.Equal(TimeSpan.Zero, CreatePolicy(jitter: 0).GetRetryDelay(2, response, null));
        Assert.Equal(RedditRetryPolicy.MaxBackoff, CreatePolicy(jitter: 1).GetRetryDelay(9, response, null));
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(409)]
    [InlineData(302)]
    [InlineData(200)]
    public void Other_statuses_are_not_retried(int status)
    {
        using var response = Response(status);

        Assert.Null(CreatePolicy().GetRetryDelay(0, response, null));
    }

    [Fact]
    public void Too_many_requests_waits_for_the_window_reset()
    {
        using var response = Response(429, ("x-ratelimit-remaining", "0.0"), ("x-ratelimit-used", "1000"), ("x-ratelimit-reset", "37"));

        Assert.Equal(TimeSpan.FromSeconds(37), CreatePolicy().GetRetryDelay(0, response, null));
    }

    [Fact]
    public void Too_many_requests_without_reset_waits_for_retry_after()
    {
        using var seconds = Response(429);
        seconds.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(12));
        using var date = Response(429);
        date.Headers.Date = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        date.Headers.RetryAfter = new RetryConditionHeaderValue(new DateTimeOffset(2026, 3, 1, 12, 0, 30, TimeSpan.Zero));
        using var neither = Response(429);

        Assert.Equal(TimeSpan.FromSeconds(12), CreatePolicy().GetRetryDelay(0, seconds, null));
        Assert.Equal(TimeSpan.FromSeconds(30), CreatePolicy().GetRetryDelay(0, date, null));
        Assert.Equal(TimeSpan.FromSeconds(2), CreatePolicy().GetRetryDelay(1, neither, null));
    }

    [Fact]
    public void Connection_failures_and_timeouts_are_retried()
    {
        var policy = CreatePolicy();

        Assert.NotNull(policy.GetRetryDelay(0, null, new HttpRequestException(HttpRequestError.ConnectionError, "refused")));
        Assert.NotNull(policy.GetRetryDelay(0, null, new HttpRequestException(HttpRequestError.ResponseEnded, "cut short")));
        Assert.NotNull(policy.GetRetryDelay(0, null, new TimeoutException()));
        Assert.NotNull(policy.GetRetryDelay(0, null, new RedditApiException(HttpStatusCode.ServiceUnavailable, "token endpoint down")));
    }

    [Fact]
    public void Refused_credentials_cancellation_and_tls_failures_are_not_retried()
    {
        var policy = CreatePolicy();

        Assert.Null(policy.GetRetryDelay(0, null, new RedditAuthenticationException(HttpStatusCode.OK, "wrong password", "invalid_grant")));
        Assert.Null(policy.GetRetryDelay(0, null, new OperationCanceledException()));
        Assert.Null(policy.GetRetryDelay(0, null, new HttpRequestException(HttpRequestError.SecureConnectionError, "bad cert")));
        Assert.Null(policy.GetRetryDelay(0, null, new RedditApiException(HttpStatusCode.Forbidden, "private")));
    }

    [Fact]
    public async Task ExecuteAsync_retries_up_to_MaxRetries_and_returns_the_last_response()
    {
        var policy = CreatePolicy(maxRetries: 2);
        var attempts = 0;

        using var response = await policy.ExecuteAsync(_ =>
        {
            attempts++;
            return ValueTask.FromResult(Response(503));
        }, CancellationToken.None);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(3, attempts);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], _clock.Delays);
    }

    [Fact]
    public async Task ExecuteAsync_stops_at_the_first_answer_it_does_not_retry()
    {
        var policy = CreatePolicy();
        var statuses = new Queue<int>([503, 404, 200]);

        using var response = await policy.ExecuteAsync(_ => ValueTask.FromResult(Response(statuses.Dequeue())), CancellationToken.None);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Single(statuses);
    }

    [Fact]
    public async Task Without_retries_the_first_outcome_stands()
    {
        var policy = CreatePolicy(maxRetries: 0);

        await Assert.ThrowsAsync<HttpRequestException>(async () =>
            await policy.ExecuteAsync(_ => throw new HttpRequestException("refused"), CancellationToken.None));
        Assert.Empty(_clock.Delays);
    }
}
