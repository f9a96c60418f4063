using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AppHost.Identity;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Platform.IntegrationTests;

/// <summary>
/// Real tokens from the running Identity service: the seeded clients and users, the JWT access tokens the
/// Gateway will validate from the discovery document alone, refresh, revocation, lockout and rate limit.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class IdentityTokenTests(PlatformFixture platform)
{
    private IdentityTestCredentials Credentials => platform.Identity;

    private HttpClient CreateClient() => platform.App.CreateHttpClient(ResourceNames.Identity, "http");

    private string ExpectedIssuer => platform.App.GetEndpoint(ResourceNames.Identity, "http").AbsoluteUri;

    [Fact]
    public async Task Discovery_document_and_JWKS_describe_the_server()
    {
        using var http = CreateClient();

        var discovery = await http.GetFromJsonAsync<JsonElement>("/.well-known/openid-configuration");

        Assert.Equal(ExpectedIssuer, discovery.GetProperty("issuer").GetString());
        Assert.Equal(new Uri(new Uri(ExpectedIssuer), "connect/token").AbsoluteUri, discovery.GetProperty("token_endpoint").GetString());
        Assert.EndsWith("/connect/introspect", discovery.GetProperty("introspection_endpoint").GetString());
        Assert.EndsWith("/connect/revoke", discovery.GetProperty("revocation_endpoint").GetString());
        var grants = Strings(discovery.GetProperty("grant_types_supported"));
        Assert.Superset(new HashSet<string> { "client_credentials", "password", "refresh_token" }, grants.ToHashSet());
        Assert.Superset(PlatformScopes.All.ToHashSet(), Strings(discovery.GetProperty("scopes_supported")).ToHashSet());

        var jwks = await http.GetFromJsonAsync<JsonElement>(discovery.GetProperty("jwks_uri").GetString());
        var keys = jwks.GetProperty("keys").EnumerateArray().ToList();
        Assert.NotEmpty(keys);
        Assert.All(keys, key =>
        {
            Assert.Equal("RSA", key.GetProperty("kty").GetString());
            Assert.Equal("sig", key.GetProperty("use").GetString());
            Assert.False(key.TryGetProperty("d", out _), "the JWKS document must not publish private key material");
        });
    }

    [Fact]
    public async Task Client_credentials_give_a_signed_JWT_that_the_JWKS_verifies()
    {
        using var http = CreateClient();

        var (status, body) = await RequestTokenAsync(http, ClientCredentials(PlatformClients.Service, Credentials.ServiceClientSecret));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.False(body.TryGetProperty("refresh_token", out _));
        var token = body.GetProperty("access_token").GetString()!;
        var (header, payload) = await VerifyAsync(http, token);
        Assert.Equal("RS256", header.GetProperty("alg").GetString());
        Assert.Equal("at+jwt", header.GetProperty("typ").GetString());
        Assert.Equal(ExpectedIssuer, payload.GetProperty("iss").GetString());
        Assert.Contains(PlatformScopes.ApiAudience, Audiences(payload));
        Assert.Equal(PlatformClients.Service, payload.GetProperty("sub").GetString());
        Assert.Equal(PlatformClients.Service, payload.GetProperty("client_id").GetString());
        Assert.Equal([PlatformScopes.Read, PlatformScopes.Score], payload.GetProperty("scope").GetString()!.Split(' ').Order());
    }

    [Fact]
    public async Task Client_credentials_may_narrow_scopes_but_not_widen_them()
    {
        using var http = CreateClient();

        var narrowed = await RequestTokenAsync(http,
            ClientCredentials(PlatformClients.Bulk, Credentials.BulkClientSecret, PlatformScopes.Score));
        var widened = await RequestTokenAsync(http,
            ClientCredentials(PlatformClients.Bulk, Credentials.BulkClientSecret, PlatformScopes.Admin));

        Assert.Equal(HttpStatusCode.OK, narrowed.Status);
        Assert.Equal(PlatformScopes.Score, Payload(narrowed.Body.GetProperty("access_token").GetString()!).GetProperty("scope").GetString());
        // OpenIddict refuses a scope outside the client's permissions before the token handler runs.
        Assert.Equal(HttpStatusCode.BadRequest, widened.Status);
        Assert.Contains(widened.Body.GetProperty("error").GetString(), new[] { "invalid_request", "invalid_scope" });
        Assert.False(widened.Body.TryGetProperty("access_token", out _));
    }

    [Fact]
    public async Task Wrong_client_secret_is_invalid_client()
    {
        using var http = CreateClient();

        var (status, body) = await RequestTokenAsync(http, ClientCredentials(PlatformClients.Service, "not-the-secret"));

        Assert.Contains(status, new[] { HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized });
        Assert.Equal("invalid_client", body.GetProperty("error").GetString());
        Assert.False(body.TryGetProperty("access_token", out _));
    }

    [Fact]
    public async Task Password_grant_for_the_seeded_admin_gives_admin_scope_and_a_refresh_token()
    {
        using var http = CreateClient();

        var (status, body) = await RequestTokenAsync(http,
            Password(PlatformClients.AdminUserName, Credentials.AdminPassword, $"{PlatformScopes.Admin} {PlatformScopes.Read} offline_access"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(string.IsNullOrEmpty(body.GetProperty("refresh_token").GetString()));
        var (_, payload) = await VerifyAsync(http, body.GetProperty("access_token").GetString()!);
        Assert.Equal(PlatformClients.AdminUserName, payload.GetProperty("name").GetString());
        Assert.Equal(PlatformClients.Web, payload.GetProperty("client_id").GetString());
        Assert.NotEqual(PlatformClients.AdminUserName, payload.GetProperty("sub").GetString()); // the user's id, not its name
        var scopes = payload.GetProperty("scope").GetString()!.Split(' ');
        Assert.Contains(PlatformScopes.Admin, scopes);
        Assert.Contains(PlatformScopes.Read, scopes);
    }

    [Fact]
    public async Task Wrong_password_is_invalid_grant()
    {
        using var http = CreateClient();

        var (status, body) = await RequestTokenAsync(http, Password("no-such-user", "Wrong-password-123", PlatformScopes.Read));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_grant", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Refresh_token_gives_a_new_access_token_and_a_new_refresh_token()
    {
        using var http = CreateClient();
        var first = await RequestTokenAsync(http,
            Password(PlatformClients.AdminUserName, Credentials.AdminPassword, $"{PlatformScopes.Read} offline_access"));
        Assert.Equal(HttpStatusCode.OK, first.Status);
        var refreshToken = first.Body.GetProperty("refresh_token").GetString()!;

        var (status, body) = await RequestTokenAsync(http, new()
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = PlatformClients.Web,
            ["refresh_token"] = refreshToken,
        });

        Assert.Equal(HttpStatusCode.OK, status);
        var accessToken = body.GetProperty("access_token").GetString()!;
        Assert.NotEqual(first.Body.GetProperty("access_token").GetString(), accessToken);
        Assert.NotEqual(refreshToken, body.GetProperty("refresh_token").GetString()); // rolling refresh tokens
        var (_, payload) = await VerifyAsync(http, accessToken);
        Assert.Equal(Payload(first.Body.GetProperty("access_token").GetString()!).GetProperty("sub").GetString(), payload.GetProperty("sub").GetString());
        Assert.Contains(PlatformScopes.Read, payload.GetProperty("scope").GetString()!.Split(' '));
    }

    [Fact]
    public async Task A_revoked_token_is_inactive_at_introspection()
    {
        using var http = CreateClient();
        var clientId = PlatformClients.Service;
        var secret = Credentials.ServiceClientSecret;
        var issued = await RequestTokenAsync(http, ClientCredentials(clientId, secret));
        var token = issued.Body.GetProperty("access_token").GetString()!;

        var before = await PostFormAsync(http, "/connect/introspect", new() { ["client_id"] = clientId, ["client_secret"] = secret, ["token"] = token });
        var revoked = await http.PostAsync("/connect/revoke", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = clientId,
            ["client_secret"] = secret,
            ["token"] = token,
        }));
        var after = await PostFormAsync(http, "/connect/introspect", new() { ["client_id"] = clientId, ["client_secret"] = secret, ["token"] = token });

        Assert.Equal(HttpStatusCode.OK, before.Status);
        Assert.True(before.Body.GetProperty("active").GetBoolean());
        Assert.Equal(clientId, before.Body.GetProperty("client_id").GetString());
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.Status);
        Assert.False(after.Body.GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task Repeated_wrong_passwords_lock_the_account_even_against_the_right_one()
    {
        using var http = CreateClient();
        var user = Credentials.LockoutUserName;
        var good = await RequestTokenAsync(http, Password(user, Credentials.LockoutUserPassword, PlatformScopes.Read));
        Assert.Equal(HttpStatusCode.OK, good.Status);

        for (var i = 0; i < IdentityTestCredentials.MaxFailedAttempts; i++)
        {
            var wrong = await RequestTokenAsync(http, Password(user, $"Wrong-password-{i}", PlatformScopes.Read));
            Assert.Equal("invalid_grant", wrong.Body.GetProperty("error").GetString());
        }

        var locked = await RequestTokenAsync(http, Password(user, Credentials.LockoutUserPassword, PlatformScopes.Read));

        Assert.Equal(HttpStatusCode.BadRequest, locked.Status);
        Assert.Equal("invalid_grant", locked.Body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Token_requests_beyond_the_limit_get_429_with_Retry_After()
    {
        using var http = CreateClient();
        HttpResponseMessage? limited = null;

        // Unknown clients: cheap for the server, and counted all the same.
        for (var i = 0; i < IdentityTestCredentials.TokenRequestsPerWindow * 2 && limited is null; i++)
        {
            var response = await http.PostAsync(TokenEndpoints.Token, new FormUrlEncodedContent(ClientCredentials("no-such-client", "x")));
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = response;
            }
        }

        Assert.NotNull(limited);
        var retryAfter = limited.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), IdentityTestCredentials.RateLimitWindow);
        var body = await limited.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("temporarily_unavailable", body.GetProperty("error").GetString());
        using (var health = await http.GetAsync("/health"))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode); // only the token endpoint is limited
        }

        // Leave the window as the other token tests expect to find it.
        await Task.Delay(retryAfter.Value + TimeSpan.FromMilliseconds(500));
        var (status, _) = await RequestTokenAsync(http, ClientCredentials(PlatformClients.Service, Credentials.ServiceClientSecret));
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task Wrong_passwords_from_one_address_cannot_lock_the_admin_out_of_another()
    {
        using var http = CreateClient();
        async Task<HttpStatusCode> SignInAsync(string password, string address)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, TokenEndpoints.Token)
            {
                Content = new FormUrlEncodedContent(Password(PlatformClients.AdminUserName, password, PlatformScopes.Read)),
            };
            request.Headers.Add("X-Forwarded-For", address);
            using var response = await http.SendAsync(request);
            return response.StatusCode;
        }

        for (var i = 0; i < IdentityTestCredentials.MaxFailedAttempts; i++)
        {
            Assert.Equal(HttpStatusCode.BadRequest, await SignInAsync($"Wrong-password-{i}", "203.0.113.20"));
        }

        Assert.Equal(HttpStatusCode.BadRequest, await SignInAsync(Credentials.AdminPassword, "203.0.113.20")); // the guesser is locked out
        Assert.Equal(HttpStatusCode.OK, await SignInAsync(Credentials.AdminPassword, "203.0.113.21")); // the admin is not
    }

    [Fact]
    public async Task The_limit_counts_per_end_user_address_that_a_trusted_proxy_forwards()
    {
        using var http = CreateClient();
        async Task<HttpStatusCode> AskAsync(string address)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, TokenEndpoints.Token)
            {
                Content = new FormUrlEncodedContent(ClientCredentials("no-such-client", "x")),
            };
            request.Headers.Add("X-Forwarded-For", address); // the Gateway's header, from loopback: a trusted proxy here
            using var response = await http.SendAsync(request);
            return response.StatusCode;
        }

        var flooded = false;
        for (var i = 0; i < IdentityTestCredentials.TokenRequestsPerWindow * 2 && !flooded; i++)
        {
            flooded = await AskAsync("203.0.113.7") == HttpStatusCode.TooManyRequests;
        }

        Assert.True(flooded, "the flooding address was never limited");
        Assert.NotEqual(HttpStatusCode.TooManyRequests, await AskAsync("203.0.113.8"));

        await Task.Delay(IdentityTestCredentials.RateLimitWindow); // leave the window as the other token tests expect it
    }

    [Fact]
    public async Task Signing_keys_and_issued_tokens_survive_a_restart()
    {
        string token, keysBefore;
        using (var http = CreateClient())
        {
            token = (await RequestTokenAsync(http, ClientCredentials(PlatformClients.Service, Credentials.ServiceClientSecret)))
                .Body.GetProperty("access_token").GetString()!;
            keysBefore = await KeyIdsAsync(http);
        }

        var commands = platform.App.Services.GetRequiredService<ResourceCommandService>();
        // Stop, wait until the old process is gone (its port and connections released), then start: a
        // one-step restart can race the old process and fail to start the new one.
        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2)))
        {
            var stop = await commands.ExecuteCommandAsync(ResourceNames.Identity, KnownResourceCommands.StopCommand, timeout.Token);
            Assert.True(stop.Success, stop.Message);
            await platform.App.ResourceNotifications.WaitForResourceAsync(ResourceNames.Identity,
                e => KnownResourceStates.TerminalStates.Contains(e.Snapshot.State?.Text), timeout.Token);
            var start = await commands.ExecuteCommandAsync(ResourceNames.Identity, KnownResourceCommands.StartCommand, timeout.Token);
            Assert.True(start.Success, start.Message);
            await platform.App.ResourceNotifications.WaitForResourceHealthyAsync(ResourceNames.Identity, timeout.Token);
        }

        using var after = CreateClient();
        Assert.Equal(keysBefore, await KeyIdsAsync(after));
        await VerifyAsync(after, token);
        var introspection = await PostFormAsync(after, "/connect/introspect", new()
        {
            ["client_id"] = PlatformClients.Service,
            ["client_secret"] = Credentials.ServiceClientSecret,
            ["token"] = token,
        });
        Assert.True(introspection.Body.GetProperty("active").GetBoolean());
    }

    private static Dictionary<string, string> ClientCredentials(string clientId, string secret, string? scope = null)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret };
        if (scope is not null)
        {
            form["scope"] = scope;
        }

        return form;
    }

    private static Dictionary<string, string> Password(string userName, string password, string scope) => new()
    {
        ["grant_type"] = "password",
        ["client_id"] = PlatformClients.Web,
        ["username"] = userName,
        ["password"] = password,
        ["scope"] = scope,
    };

    private static Task<(HttpStatusCode Status, JsonElement Body)> RequestTokenAsync(HttpClient http, Dictionary<string, string> form) =>
        PostFormAsync(http, TokenEndpoints.Token, form);

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PostFormAsync(HttpClient http, string path, Dictionary<string, string> form)
    {
        using var response = await http.PostAsync(path, new FormUrlEncodedContent(form));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(text.Length > 0, $"{path} answered {(int)response.StatusCode} with no body");
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    private static async Task<string> KeyIdsAsync(HttpClient http)
    {
        var jwks = await http.GetFromJsonAsync<JsonElement>("/.well-known/jwks");
        return string.Join(",", jwks.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()).Order());
    }

    /// <summary>Checks the RS256 signature with the published key named by <c>kid</c>, as the Gateway will.</summary>
    private static async Task<(JsonElement Header, JsonElement Payload)> VerifyAsync(HttpClient http, string jwt)
    {
        var parts = jwt.Split('.');
        Assert.Equal(3, parts.Length); // a JWS: signed, not encrypted
        var header = JsonDocument.Parse(Base64Url(parts[0])).RootElement.Clone();
        var kid = header.GetProperty("kid").GetString();
        var jwks = await http.GetFromJsonAsync<JsonElement>("/.well-known/jwks");
        var key = jwks.GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("kid").GetString() == kid);

        using var rsa = RSA.Create(new RSAParameters
        {
            Modulus = Base64Url(key.GetProperty("n").GetString()!),
            Exponent = Base64Url(key.GetProperty("e").GetString()!),
        });
        Assert.True(rsa.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), Base64Url(parts[2]),
            HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1), "the token's signature does not verify with its JWKS key");

        var payload = Payload(jwt);
        Assert.True(payload.GetProperty("exp").GetInt64() > DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        return (header, payload);
    }

    private static JsonElement Payload(string jwt) => JsonDocument.Parse(Base64Url(jwt.Split('.')[1])).RootElement.Clone();

    private static IEnumerable<string> Audiences(JsonElement payload) => payload.GetProperty("aud") switch
    {
        { ValueKind: JsonValueKind.Array } array => Strings(array),
        var single => [single.GetString()!],
    };

    private static List<string> Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    private static byte[] Base64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + (4 - padded.Length % 4) % 4, '='));
    }
}
