using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Collector.Ingestion.Reddit;

/// <summary>
/// The request pipeline (prawcore's Session): every attempt waits for its turn at the
/// <see cref="RedditRateLimiter"/>, carries a token from the <see cref="RedditAuthorizer"/> and the
/// User-Agent Reddit requires, and feeds the response's rate-limit headers back to the limiter; the
/// <see cref="RedditRetryPolicy"/> decides whether a failed attempt is tried again. A 401 costs the
/// token: it is fetched anew and the request sent once more, once per request.
/// </summary>
public sealed class RedditClient(
    IHttpClientFactory httpClientFactory,
    RedditAuthorizer authorizer,
    RedditRateLimiter rateLimiter,
    RedditRetryPolicy retryPolicy,
    IRedditThingMapper mapper,
    IOptions<RedditOptions> options,
    ILogger<RedditClient> logger)
{
    /// <summary>
    /// One page of a listing such as <c>/r/dotnet/new</c>, parsed, its children mapped to items.
    /// <c>raw_json=1</c> is always sent, so text comes without HTML entities (<c>&amp;amp;</c>).
    /// </summary>
    /// <exception cref="RedditApiException">Reddit answered with an error that is not retried, or retries ran out.</exception>
    /// <exception cref="HttpRequestException">The connection failed on every attempt.</exception>
    /// <exception cref="TimeoutException">The last attempt took longer than <see cref="RedditOptions.RequestTimeout"/>.</exception>
    public Task<Listing> GetListingAsync(string path, ListingQuery query, CancellationToken cancellationToken, RequestLane? lane = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(query);
        return GetAsync(path, query.ToParameters(), "a listing", root => Listing.Parse(root, mapper), lane, cancellationToken);
    }

    /// <summary>
    /// Things by fullname through <c>/api/info</c> (at most 100 a request), as a listing: what Reddit says about them
    /// now (score, edited text, <c>[deleted]</c> / <c>[removed]</c>). Things Reddit no longer knows are left out.
    /// </summary>
    public Task<Listing> GetInfoAsync(IReadOnlyCollection<string> fullnames, CancellationToken cancellationToken, RequestLane? lane = null)
    {
        if (fullnames.Count is 0 or > ListingQuery.MaxLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(fullnames), fullnames.Count, $"/api/info takes 1 to {ListingQuery.MaxLimit} fullnames.");
        }

        return GetAsync("/api/info", [new("id", string.Join(',', fullnames))], "a listing", root => Listing.Parse(root, mapper), lane, cancellationToken);
    }

    /// <summary>
    /// A post's comment tree (<c>/comments/{id}</c>, as many comments as Reddit serves at once), or with
    /// <paramref name="commentId"/> the subtree under that comment ("continue this thread").
    /// </summary>
    public Task<CommentTree> GetThreadAsync(string postId, string? commentId, CancellationToken cancellationToken, RequestLane? lane = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(postId);
        var parameters = new List<KeyValuePair<string, string>> { new("limit", "500"), new("sort", "old") };
        if (commentId is not null)
        {
            parameters.Add(new("comment", commentId));
        }

        return GetAsync($"/comments/{postId}", parameters, "a thread", root => CommentTree.ParseThread(root, mapper), lane, cancellationToken);
    }

    /// <summary>
    /// Comments a thread left out, by id (<c>/api/morechildren</c>, at most 100 a request), flat, with any
    /// <c>more</c> links they contain in turn.
    /// </summary>
    public Task<CommentTree> GetMoreChildrenAsync(
        string postFullname, IReadOnlyCollection<string> childIds, CancellationToken cancellationToken, RequestLane? lane = null)
    {
        if (childIds.Count is 0 or > ListingQuery.MaxLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(childIds), childIds.Count, $"morechildren takes 1 to {ListingQuery.MaxLimit} ids.");
        }

        KeyValuePair<string, string>[] parameters =
        [
            new("api_type", "json"), new("link_id", postFullname), new("children", string.Join(',', childIds)),
            new("limit_children", "false"), new("sort", "old"),
        ];
        return GetAsync("/api/morechildren", parameters, "a morechildren answer",
            root => CommentTree.ParseMoreChildren(root, mapper), lane, cancellationToken);
    }

    private async Task<T> GetAsync<T>(
        string path, IEnumerable<KeyValuePair<string, string>> parameters, string expected, Func<JsonElement, T> parse,
        RequestLane? lane, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, BuildUri(path, parameters), cancellationToken, lane);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        try
        {
            using var document = JsonDocument.Parse(body);
            return parse(document.RootElement);
        }
        catch (JsonException error)
        {
            // An outage page, a captive portal or a cut-off body: say so rather than fail somewhere deeper.
            throw new RedditApiException(response.StatusCode,
                $"Reddit's answer to GET {path} is not {expected} ({error.Message.TrimEnd('.')}).", Snippet(Encoding.UTF8.GetString(body)));
        }
    }

    /// <summary>Sends a request through the whole pipeline; returns only a successful response.</summary>
    internal async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri uri, CancellationToken cancellationToken, RequestLane? lane = null)
    {
        var tokenRefreshed = false;
        var response = await retryPolicy.ExecuteAsync(async attemptCancellation =>
        {
            while (true)
            {
                var (attempt, token) = await SendOnceAsync(method, uri, lane ?? RequestLane.Default, attemptCancellation);
                if (attempt.StatusCode != HttpStatusCode.Unauthorized || tokenRefreshed)
                {
                    return attempt;
                }

                // Expired or revoked early: one new token and one more try; a second 401 is an answer.
                tokenRefreshed = true;
                logger.LogInformation("Reddit rejected the access token on {Path}; fetching a new one", uri.AbsolutePath);
                authorizer.Invalidate(token);
                attempt.Dispose();
            }
        }, cancellationToken);

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var detail = response.Headers.Location is { } location ? $" (redirected to {location}: does it exist?)" : ReasonIn(body);
            throw new RedditApiException(
                response.StatusCode,
                $"Reddit answered {(int)response.StatusCode} {response.ReasonPhrase} to {method} {uri.AbsolutePath}{detail}.",
                Snippet(body));
        }
    }

    private async Task<(HttpResponseMessage Response, string Token)> SendOnceAsync(
        HttpMethod method, Uri uri, RequestLane lane, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await rateLimiter.WaitAsync(lane, cancellationToken);

        // On the real clock, like the network it measures; waits (pacing, backoff) use the injected one.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.RequestTimeout);
        try
        {
            var token = await authorizer.GetTokenAsync(timeout.Token);
            using var request = new HttpRequestMessage(method, uri);
            request.Headers.Authorization = new AuthenticationHeaderValue("bearer", token);
            AddUserAgent(request, settings);

            // Buffered, so the timeout covers reading the body as well.
            var response = await httpClientFactory.CreateClient(RedditServiceCollectionExtensions.HttpClientName)
                .SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
            rateLimiter.Update(response.Headers);
            logger.LogDebug("{Method} {Path} answered {StatusCode}", method, uri.PathAndQuery, (int)response.StatusCode);
            return (response, token);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"Reddit did not answer {method} {uri.AbsolutePath} within {settings.RequestTimeout}.", exception);
        }
    }

    private Uri BuildUri(string path, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var query = new StringBuilder();
        foreach (var (name, value) in parameters.Append(new("raw_json", "1")))
        {
            query.Append(query.Length == 0 ? '?' : '&')
                .Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        }

        var baseUrl = options.Value.ApiBaseUrl;
        var root = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
        return new Uri(root, path.TrimStart('/') + query);
    }

    /// <summary>
    /// Reddit's User-Agent (<c>linux:com.example.app:1.0.0 (by /u/someone)</c>) is not a valid RFC product
    /// token because of its colons, so it goes in unvalidated.
    /// </summary>
    internal static void AddUserAgent(HttpRequestMessage request, RedditOptions settings) =>
        request.Headers.TryAddWithoutValidation("User-Agent", settings.UserAgent);

    internal static string Snippet(string body) => body.Length <= 500 ? body : body[..500] + "…";

    /// <summary>
    /// Reddit's own reason in an error body, e.g. <c>{"reason": "quarantined", "quarantine_message": "…",
    /// "message": "Forbidden", "error": 403}</c> or <c>{"reason": "private"}</c>, as <c> (reason: quarantined: …)</c>;
    /// empty when the body says nothing more than the status.
    /// </summary>
    internal static string ReasonIn(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return "";
            }

            string? Text(string name) =>
                document.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
                    ? text
                    : null;

            var parts = new[] { Text("reason"), Text("quarantine_message") ?? Text("explanation") ?? Text("message") }.OfType<string>().ToArray();
            return parts.Length == 0 ? "" : $" (reason: {string.Join(": ", parts)})";
        }
        catch (JsonException)
        {
            return "";
        }
    }
}
