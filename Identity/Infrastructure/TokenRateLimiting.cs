using System.Globalization;
using System.Threading.RateLimiting;
using Identity.Model;
using Microsoft.AspNetCore.RateLimiting;

namespace Identity.Infrastructure;

/// <summary>
/// Limits token requests per client address, against password guessing and secret guessing alike. It has
/// to run before OpenIddict (which rejects bad credentials inside the authentication middleware, before any
/// endpoint), so it is a global limiter that only counts <c>/connect/token</c>.
/// </summary>
public static class TokenRateLimiting
{
    public static PartitionedRateLimiter<HttpContext> CreateLimiter(TokenRateLimitOptions options) =>
        PartitionedRateLimiter.Create<HttpContext, string>(context =>
            context.Request.Path.Equals(TokenEndpoints.Token, StringComparison.OrdinalIgnoreCase)
                ? RateLimitPartition.GetFixedWindowLimiter(ClientAddress(context), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = options.PermitLimit,
                    Window = options.Window,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                })
                : RateLimitPartition.GetNoLimiter(string.Empty));

    /// <summary>
    /// The remote address. Behind a proxy this is the proxy's unless forwarded headers are enabled
    /// (<c>ASPNETCORE_FORWARDEDHEADERS_ENABLED=true</c>), which the README asks for in Kubernetes.
    /// </summary>
    public static string ClientAddress(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>429 with <c>Retry-After</c> (whole seconds) and an OAuth-style JSON error body.</summary>
    public static async ValueTask OnRejectedAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var response = context.HttpContext.Response;
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : 1;
        response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await response.WriteAsJsonAsync(new Dictionary<string, string>
        {
            ["error"] = "temporarily_unavailable",
            ["error_description"] = $"Too many token requests from this address; retry after {seconds} s.",
        }, cancellationToken);
    }
}
