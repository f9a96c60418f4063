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

/// <summary>An OAuth error from Identity, passed on to the caller as a problem.</summary>
public sealed record TokenError(int Status, string Error, string? Description);

/// <summary>
/// The web front end's calls to Identity (as the public <c>sentiment-web</c> client): sign-in with a password,
/// refresh, and revocation at sign-out.
/// </summary>
public sealed class IdentityClient(HttpClient http)
{
    public Task<(TokenResponse? Tokens, TokenError? Error)> PasswordAsync(string userName, string password, string scope) =>
        TokenAsync(new()
        {
            ["grant_type"] = "password", ["client_id"] = PlatformClients.Web, ["username"] = userName, ["password"] = password,
            ["scope"] = $"openid offline_access {scope}",
        });

    public Task<(TokenResponse? Tokens, TokenError? Error)> RefreshAsync(string refreshToken) =>
        TokenAsync(new() { ["grant_type"] = "refresh_token", ["client_id"] = PlatformClients.Web, ["refresh_token"] = refreshToken });

    public async Task RevokeAsync(string refreshToken)
    {
        using var response = await http.PostAsync("/connect/revoke", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = PlatformClients.Web, ["token"] = refreshToken, ["token_type_hint"] = "refresh_token",
        }));
    }

    private async Task<(TokenResponse?, TokenError?)> TokenAsync(Dictionary<string, string> form)
    {
        using var response = await http.PostAsync(TokenEndpoints.Token, new FormUrlEncodedContent(form));
        if (response.IsSuccessStatusCode)
        {
            return (await response.Content.ReadFromJsonAsync<TokenResponse>(), null);
        }

        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (null, new TokenError((int)response.StatusCode,
            body.TryGetProperty("error", out var error) ? error.GetString() ?? "invalid_request" : "invalid_request",
            body.TryGetProperty("error_description", out var description) ? description.GetString() : null));
    }
}
