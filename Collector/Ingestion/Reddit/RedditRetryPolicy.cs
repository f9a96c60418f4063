using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace Collector.Ingestion.Reddit;

/// <summary>
/// Which failures are worth another attempt, and after how long (a Polly retry pipeline underneath).
/// Retried: 408, 500, 502, 503, 504 and Cloudflare's 520/522, dropped connections and timeouts, with
/// exponential backoff and full jitter; 429 after the window resets (<c>x-ratelimit-reset</c>, else
/// <c>Retry-After</c>). Never retried: any other 4xx. All of them share <see cref="RedditOptions.MaxRetries"/>.
/// </summary>
public sealed class RedditRetryPolicy
{
    internal static readonly TimeSpan BaseDelay = TimeSpan.FromSeconds(1);
    internal static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    /// <summary>Reddit's windows last 10 minutes: waiting longer on a 429 means the header is wrong.</summary>
    internal static readonly TimeSpan MaxRateLimitWait = TimeSpan.FromMinutes(10);

    private static readonly HashSet<HttpStatusCode> RetryableStatuses =
    [
        HttpStatusCode.RequestTimeout,
        HttpStatusCode.InternalServerError,
        HttpStatusCode.BadGateway,
        HttpStatusCode.ServiceUnavailable,
        HttpStatusCode.GatewayTimeout,
        (HttpStatusCode)520, // Cloudflare: unknown error
        (HttpStatusCode)522, // Cloudflare: connection timed out
    ];

    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly ILogger<RedditRetryPolicy> _logger;

    public RedditRetryPolicy(IOptions<RedditOptions> options, TimeProvider timeProvider, ILogger<RedditRetryPolicy> logger)
    {
        _logger = logger;
        var maxRetries = options.Value.MaxRetries;
        _pipeline = maxRetries == 0
            ? ResiliencePipeline<HttpResponseMessage>.Empty
            : new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider }
                .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
                {
                    MaxRetryAttempts = maxRetries,
                    ShouldHandle = args => ValueTask.FromResult(
                        GetRetryDelay(0, args.Outcome.Result, args.Outcome.Exception, static () => 1) is not null),
                    DelayGenerator = args => ValueTask.FromResult(
                        GetRetryDelay(args.AttemptNumber, args.Outcome.Result, args.Outcome.Exception, Jitter)),
                    OnRetry = args =>
                    {
                        LogRetry(args.AttemptNumber + 1, maxRetries, args.RetryDelay, args.Outcome.Result, args.Outcome.Exception);
                        return ValueTask.CompletedTask;
                    },
                })
                .Build();
    }

    /// <summary>The jitter source (0 to 1); tests pin it to make delays exact.</summary>
    internal Func<double> Jitter { get; set; } = Random.Shared.NextDouble;

    /// <summary>Whether a response status is retried with backoff (429 is retried too, after the reset).</summary>
    public static bool IsTransient(HttpStatusCode status) => RetryableStatuses.Contains(status);

    /// <summary>
    /// How long to wait before retry number <paramref name="retry"/> (0 for the first), or null when this
    /// outcome is not retried.
    /// </summary>
    public TimeSpan? GetRetryDelay(int retry, HttpResponseMessage? response, Exception? exception) =>
        GetRetryDelay(retry, response, exception, Jitter);

    /// <summary>Runs <paramref name="attempt"/>, again while it fails transiently and retries are left.</summary>
    /// <returns>The first response that is not retried, or the last one.</returns>
    public ValueTask<HttpResponseMessage> ExecuteAsync(
        Func<CancellationToken, ValueTask<HttpResponseMessage>> attempt, CancellationToken cancellationToken) =>
        _pipeline.ExecuteAsync(attempt, cancellationToken);

    private static TimeSpan? GetRetryDelay(int retry, HttpResponseMessage? response, Exception? exception, Func<double> jitter)
    {
        if (response is not null)
        {
            return response.StatusCode == HttpStatusCode.TooManyRequests
                ? RateLimitReset(response) ?? Backoff(retry, jitter)
                : IsTransient(response.StatusCode) ? Backoff(retry, jitter) : null;
        }

        return exception switch
        {
            RedditAuthenticationException => null,
            RedditApiException { StatusCode: HttpStatusCode.TooManyRequests } => Backoff(retry, jitter),
            RedditApiException api when IsTransient(api.StatusCode) => Backoff(retry, jitter),
            // Connection refused or reset, DNS hiccups, a response cut short; not TLS or proxy-auth failures.
            HttpRequestException http when http.HttpRequestError is not (HttpRequestError.SecureConnectionError
                or HttpRequestError.UserAuthenticationError or HttpRequestError.ConfigurationLimitExceeded) => Backoff(retry, jitter),
            TimeoutException => Backoff(retry, jitter),
            _ => null,
        };
    }

    // Full jitter: uniformly between zero and the exponential step, so clients that failed together spread out.
    private static TimeSpan Backoff(int retry, Func<double> jitter)
    {
        var step = BaseDelay * Math.Pow(2, Math.Min(retry, 16));
        return (step < MaxBackoff ? step : MaxBackoff) * Math.Clamp(jitter(), 0, 1);
    }

    private static TimeSpan? RateLimitReset(HttpResponseMessage response)
    {
        TimeSpan? wait = null;
        if (response.Headers.TryGetValues("x-ratelimit-reset", out var values)
            && double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            && double.IsFinite(seconds) && seconds >= 0)
        {
            wait = TimeSpan.FromSeconds(seconds);
        }
        else if (response.Headers.RetryAfter is { } retryAfter)
        {
            wait = retryAfter.Delta
                ?? (retryAfter.Date is { } date ? date - (response.Headers.Date ?? DateTimeOffset.UtcNow) : null);
        }

        if (wait is not { } value)
        {
            return null;
        }

        return value < TimeSpan.Zero ? TimeSpan.Zero : value > MaxRateLimitWait ? MaxRateLimitWait : value;
    }

    private void LogRetry(int retry, int maxRetries, TimeSpan delay, HttpResponseMessage? response, Exception? exception)
    {
        if (response is not null)
        {
            _logger.LogWarning(
                "Reddit answered {StatusCode} to {Path}; retry {Retry} of {MaxRetries} in {Delay}",
                (int)response.StatusCode, response.RequestMessage?.RequestUri?.AbsolutePath, retry, maxRetries, delay);
        }
        else
        {
            _logger.LogWarning(
                exception, "Reddit request failed ({Error}); retry {Retry} of {MaxRetries} in {Delay}",
                exception?.GetType().Name, retry, maxRetries, delay);
        }
    }
}
