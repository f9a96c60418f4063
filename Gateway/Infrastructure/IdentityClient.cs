using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gateway.Infrastructure;

/// <summary>Identity's token response (the fields the Gateway passes on).</summary>
public sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("refresh_token")] string? RefreshToken,
    [property: JsonPropertyName("scope")] string? Scope);

/// <summary>An OAuth error from Identity, passed on to the caller as a problem (with Identity's Retry-After for a 429).</summary>
public sealed record TokenError(int Status, string Error, string? Description, TimeSpan? RetryAfter = null);

/// <summary>
/// The web front end's calls to Identity (as the public <c>sentiment-web</c> client): sign-in with a password,
/// refresh, and revocation at sign-out. Each names the end user's address in <c>X-Forwarded-For</c>, so Identity
/// limits sign-ins per user address rather than per Gateway. Registered without the resilience handler: a sign-in
/// is interactive, and retrying Identity's 429s only made a flooded sign-in hang (and fail as a 500).
/// </summary>
public sealed class IdentityClient(HttpClient http, IHttpContextAccessor caller)
{
    public Task<(TokenResponse? Tokens, TokenError? Error)> PasswordAsync(string userName, string password, string scope) =>
        TokenAsync(new()
        {
            ["grant_type"] = "password", ["client_id"] = PlatformClients.Web, ["username"] = userName, ["password"] = password,
            ["scope"] = $"openid offline_access {scope}",
        });

    public Task<(TokenResponse? Tokens, TokenError? Error)> RefreshAsync(string refreshToken) =>
        TokenAsync(new() { ["grant_type"] = "refresh_token", ["client_id"] = PlatformClients.Web, ["refresh_token"] = refreshToken });

    private HttpRequestMessage Post(string path, Dictionary<string, string> form)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        if (caller.HttpContext?.Connection.RemoteIpAddress is { } address)
        {
            request.Headers.Add("X-Forwarded-For", address.ToString());
        }

        return request;
    }

    public async Task RevokeAsync(string refreshToken)
    {
        using var request = Post("/connect/revoke", new Dictionary<string, string>
        {
            ["client_id"] = PlatformClients.Web, ["token"] = refreshToken, ["token_type_hint"] = "refresh_token",
        });
        using var response = await http.SendAsync(request);
    }

    private async Task<(TokenResponse?, TokenError?)> TokenAsync(Dictionary<string, string> form)
    {
        using var request = Post(TokenEndpoints.Token, form);
        HttpResponseMessage sent;
        try
        {
            sent = await http.SendAsync(request);
        }
        catch (Exception unreachable) when (unreachable is HttpRequestException or TaskCanceledException)
        {
            return (null, new TokenError(StatusCodes.Status503ServiceUnavailable, "temporarily_unavailable", "Identity is not reachable; try again shortly."));
        }

        using var response = sent;
        if (response.IsSuccessStatusCode)
        {
            return (await response.Content.ReadFromJsonAsync<TokenResponse>(), null);
        }

        var body = response.Content.Headers.ContentType?.MediaType?.EndsWith("json", StringComparison.Ordinal) == true
            ? await response.Content.ReadFromJsonAsync<JsonElement>()
            : default;
        return (null, new TokenError((int)response.StatusCode,
            body.ValueKind == JsonValueKind.Object && body.TryGetProperty("error", out var error) ? error.GetString() ?? "invalid_request" : "invalid_request",
            body.ValueKind == JsonValueKind.Object && body.TryGetProperty("error_description", out var description) ? description.GetString() : null,
            response.Headers.RetryAfter?.Delta));
    }
}
