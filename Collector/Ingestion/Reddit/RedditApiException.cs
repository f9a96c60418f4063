using System.Net;

namespace Collector.Ingestion.Reddit;

/// <summary>Reddit answered with a status the client does not retry (or no longer retries).</summary>
public class RedditApiException(HttpStatusCode statusCode, string message, string? responseBody = null)
    : Exception(message)
{
    public HttpStatusCode StatusCode { get; } = statusCode;

    /// <summary>The start of the response body, for the log.</summary>
    public string? ResponseBody { get; } = responseBody;
}

/// <summary>
/// The token endpoint refused the credentials: wrong client id or secret (401), or an OAuth error such as
/// <c>invalid_grant</c> for a wrong password, which Reddit sends with status 200.
/// </summary>
public sealed class RedditAuthenticationException(HttpStatusCode statusCode, string message, string? error = null)
    : RedditApiException(statusCode, message)
{
    /// <summary>The OAuth <c>error</c> field, when Reddit gave one.</summary>
    public string? Error { get; } = error;
}
