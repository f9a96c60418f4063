using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Gateway.Infrastructure;

/// <summary>Per-client token buckets (section <c>Gateway:RateLimits</c>).</summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "Gateway:RateLimits";

    /// <summary>Burst a client may spend at once.</summary>
    [Range(1, 1_000_000)]
    public int TokenLimit { get; set; } = 200;

    /// <summary>Requests per second a client may sustain.</summary>
    [Range(1, 1_000_000)]
    public int TokensPerSecond { get; set; } = 100;

    /// <summary>Largest request body in bytes (REST and gRPC); larger gets 413 / RESOURCE_EXHAUSTED.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;
}

/// <summary>
/// The public API's rate limit: a token bucket per caller. A user's token (its subject is not its client's id)
/// is limited per user, so the web users who all sign in through <c>sentiment-web</c> do not share one bucket; a
/// service's token (client credentials: the subject is the client id) per client; no token per remote address.
/// Over the limit, REST callers get 429 ProblemDetails with Retry-After and gRPC callers RESOURCE_EXHAUSTED.
/// </summary>
public static class RateLimiting
{
    public const string PerClientPolicy = "per-client";

    public static IServiceCollection AddPerClientRateLimiting(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(PerClientPolicy, context =>
            {
                var settings = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
                return RateLimitPartition.GetTokenBucketLimiter(ClientKey(context), _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = settings.TokenLimit,
                    TokensPerPeriod = settings.TokensPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            limiter.OnRejected = RejectAsync;
        });
        return services;
    }

    public static string ClientKey(HttpContext context)
    {
        var client = context.User.FindFirst("client_id")?.Value;
        var subject = context.User.FindFirst("sub")?.Value;
        return subject is not null && subject != client ? $"user:{subject}"
            : client is not null ? $"client:{client}"
            : $"ip:{context.Connection.RemoteIpAddress}";
    }

    /// <summary>A <c>Retry-After</c> value: whole seconds, at least one (one when the limiter does not say).</summary>
    public static string RetryAfterSeconds(TimeSpan? wait) =>
        Math.Max(1, (int)Math.Ceiling((wait ?? TimeSpan.FromSeconds(1)).TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var seconds = RetryAfterSeconds(rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : null);

        if (context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true)
        {
            // A trailers-only gRPC response: HTTP 200 with the status in the headers.
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/grpc";
            context.Response.Headers["grpc-status"] = "8"; // RESOURCE_EXHAUSTED
            context.Response.Headers["grpc-message"] = $"Rate limit exceeded; retry after {seconds} s";
            context.Response.Headers.RetryAfter = seconds;
            return;
        }

        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = $"This client's rate limit is exhausted; retry after {seconds} s.",
            },
        });
    }
}
