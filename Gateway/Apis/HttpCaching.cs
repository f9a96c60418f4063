using Gateway.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gateway.Apis;

/// <summary>ETag and Cache-Control for cached reads; a matching If-None-Match gets 304 without a body.</summary>
public static class HttpCaching
{
    public static Results<Ok<T>, ValidationProblem, StatusCodeHttpResult> Respond<T>(
        HttpContext context, AggregateCache.Cached<T> cached, TimeSpan maxAge)
    {
        context.Response.Headers.ETag = cached.ETag;
        context.Response.Headers.CacheControl = $"private, max-age={(int)maxAge.TotalSeconds}";
        context.Response.Headers["X-Cache"] = cached.Hit ? "hit" : "miss";
        return context.Request.Headers.IfNoneMatch.Contains(cached.ETag)
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.Ok(cached.Value);
    }
}
