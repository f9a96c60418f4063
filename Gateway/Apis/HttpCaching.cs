using System.Reflection;
using Gateway.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;

namespace Gateway.Apis;

/// <summary>ETag and Cache-Control for cached reads; a matching If-None-Match gets 304 without a body.</summary>
public static class HttpCaching
{
    public static Results<CachedJson<T>, ValidationProblem, StatusCodeHttpResult> Respond<T>(
        HttpContext context, AggregateCache.Cached<T> cached, TimeSpan maxAge)
    {
        context.Response.Headers.ETag = cached.ETag;
        context.Response.Headers.CacheControl = $"private, max-age={(int)maxAge.TotalSeconds}";
        context.Response.Headers["X-Cache"] = cached.Hit ? "hit" : "miss";
        return context.Request.Headers.IfNoneMatch.Contains(cached.ETag)
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : new CachedJson<T>(cached.Json);
    }
}

/// <summary>
/// 200 with a <typeparamref name="T"/> already serialized to JSON (by <see cref="AggregateCache"/>, with the
/// API's JSON options); to OpenAPI it is the same response as <c>Ok&lt;T&gt;</c>.
/// </summary>
public sealed class CachedJson<T>(byte[] json) : IResult, IEndpointMetadataProvider
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCodes.Status200OK;
        httpContext.Response.ContentType = "application/json; charset=utf-8";
        httpContext.Response.ContentLength = json.Length;
        return httpContext.Response.Body.WriteAsync(json).AsTask();
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(T), ["application/json"]));
}
