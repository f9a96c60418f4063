using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Collector.Ingestion.Reddit;

/// <summary>
/// Owns the OAuth2 access token: fetches it from <c>{AuthBaseUrl}/api/v1/access_token</c> (password grant
/// for a script app when a username and password are set, app-only client_credentials otherwise), keeps it
/// until shortly before <c>expires_in</c>, and fetches a new one when it has expired or Reddit rejected it.
/// One fetch at a time: concurrent callers wait for it and share its token.
/// </summary>
public sealed class RedditAuthorizer(
    IHttpClientFactory httpClientFactory,
    IOptions<RedditOptions> options,
    TimeProvider timeProvider,
    ILogger<RedditAuthorizer> logger)
{
    internal const string TokenPath = "api/v1/access_token";

    /// <summary>How long before its expiry a token is replaced, so none expires in flight.</summary>
    internal static readonly TimeSpan ExpiryMargin = TimeSpan.FromSeconds(60);

    private readonly SemaphoreSlim _fetchGate = new(1, 1);
    private volatile AccessToken? _current;

    /// <summary>A valid access token: the cached one, or a new one.</summary>
    public async ValueTask<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (_current is { } cached && cached.IsValidAt(timeProvider.GetUtcNow()))
        {
            return cached.Value;
        }

        await _fetchGate.WaitAsync(cancellationToken);
        try
        {
            // Whoever held the gate before us may have fetched one already.
            if (_current is { } fetched && fetched.IsValidAt(timeProvider.GetUtcNow()))
            {
                return fetched.Value;
            }

            var token = await FetchTokenAsync(cancellationToken);
            _current = token;
            return token.Value;
        }
        finally
        {
            _fetchGate.Release();
        }
    }

    /// <summary>
    /// Forgets <paramref name="rejectedToken"/> after Reddit answered 401 to it, so the next
    /// <see cref="GetTokenAsync"/> fetches a new one. A token already replaced by another caller stays.
    /// </summary>
    public void Invalidate(string rejectedToken)
    {
        var current = _current;
        if (current is not null && current.Value == rejectedToken)
        {
            Interlocked.CompareExchange(ref _current, null, current);
        }
    }

    private async Task<AccessToken> FetchTokenAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var requestedAt = timeProvider.GetUtcNow();

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(settings.AuthBaseUrl, TokenPath))
        {
            Content = new FormUrlEncodedContent(GrantParameters(settings)),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{settings.ClientId}:{settings.ClientSecret}")));
        RedditClient.AddUserAgent(request, settings);

        using var response = await httpClientFactory.CreateClient(RedditServiceCollectionExtensions.HttpClientName)
            .SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);

        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new RedditAuthenticationException(
                response.StatusCode, $"Reddit refused the client credentials ({(int)response.StatusCode}): check ClientId and ClientSecret.");
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new RedditApiException(
                response.StatusCode, $"The token endpoint answered {(int)response.StatusCode}.", RedditClient.Snippet(body));
        }

        var token = ParseToken(response.StatusCode, body, requestedAt);
        logger.LogInformation(
            "Fetched a Reddit access token ({Grant} grant), valid until {ExpiresAt:u}",
            settings.UsesPasswordGrant ? "password" : "client_credentials", token.ExpiresAt);
        return token;
    }

    private static IEnumerable<KeyValuePair<string, string>> GrantParameters(RedditOptions settings)
    {
        if (settings.UsesPasswordGrant)
        {
            yield return new("grant_type", "password");
            yield return new("username", settings.Username!);
            yield return new("password", settings.Password!);
        }
        else
        {
            yield return new("grant_type", "client_credentials");
        }
    }

    private static AccessToken ParseToken(HttpStatusCode status, string body, DateTimeOffset requestedAt)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException exception)
        {
            throw new RedditApiException(status, $"The token endpoint sent no JSON: {exception.Message}", RedditClient.Snippet(body));
        }

        using var _ = document;
        var payload = document.RootElement;

        // Reddit reports a wrong password or an unsupported grant with status 200 and an error field.
        if (payload.ValueKind != JsonValueKind.Object)
        {
            throw new RedditApiException(status, "The token endpoint sent no JSON object.", RedditClient.Snippet(body));
        }

        if (payload.TryGetProperty("error", out var error) && error.ValueKind != JsonValueKind.Null)
        {
            var code = error.ToString();
            throw new RedditAuthenticationException(
                status, $"Reddit refused the token request: {code}. Check Username and Password, and that the app is a script app.", code);
        }

        if (!payload.TryGetProperty("access_token", out var value) || value.ValueKind != JsonValueKind.String
            || string.IsNullOrEmpty(value.GetString()))
        {
            throw new RedditApiException(status, "The token endpoint sent no access_token.", RedditClient.Snippet(body));
        }

        var lifetime = payload.TryGetProperty("expires_in", out var expiresIn) && expiresIn.TryGetDouble(out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.FromHours(1);

        // Counted from before the request, and a margin early (at most half the lifetime, for short ones).
        var margin = lifetime / 2 < ExpiryMargin ? lifetime / 2 : ExpiryMargin;
        return new AccessToken(value.GetString()!, requestedAt + lifetime - margin);
    }

    private sealed record AccessToken(string Value, DateTimeOffset ExpiresAt)
    {
        public bool IsValidAt(DateTimeOffset now) => now < ExpiresAt;
    }
}
