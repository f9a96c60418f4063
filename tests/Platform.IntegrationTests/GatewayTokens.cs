using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using AppHost.Identity;
using Aspire.Hosting.Testing;

namespace Platform.IntegrationTests;

/// <summary>Who calls the Gateway in a test: real tokens from the running Identity service.</summary>
public enum Caller
{
    /// <summary><c>sentiment-service</c>, client_credentials: read and score.</summary>
    Service,

    /// <summary><c>sentiment-bulk</c>, client_credentials: read and score.</summary>
    Bulk,

    /// <summary>The seeded admin through <c>sentiment-web</c>, password grant: read, score and admin.</summary>
    Admin,

    /// <summary>The seeded admin with the read scope only.</summary>
    Reader,

    /// <summary><c>sentiment-bulk</c> asking for <c>sentiment.score</c> alone, as a bulk scoring client needs.</summary>
    ScoreOnly,
}

/// <summary>
/// Gets (and caches for the run: Identity rate-limits its token endpoint) access tokens, and makes
/// HttpClients and gRPC headers that carry them.
/// </summary>
public static class GatewayTokens
{
    private static readonly ConcurrentDictionary<Caller, Task<string>> Tokens = new();

    public static Task<string> TokenAsync(this PlatformFixture platform, Caller caller) =>
        Tokens.GetOrAdd(caller, c => RequestAsync(platform, c));

    public static async Task<HttpClient> GatewayClientAsync(this PlatformFixture platform, Caller caller)
    {
        var http = platform.App.CreateHttpClient(ResourceNames.Gateway, "http");
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await platform.TokenAsync(caller));
        return http;
    }

    public static async Task<Grpc.Core.Metadata> GrpcHeadersAsync(this PlatformFixture platform, Caller caller) =>
        new() { { "Authorization", $"Bearer {await platform.TokenAsync(caller)}" } };

    private static async Task<string> RequestAsync(PlatformFixture platform, Caller caller)
    {
        var form = caller switch
        {
            Caller.Service => Client(PlatformClients.Service, platform.Identity.ServiceClientSecret, "sentiment.read sentiment.score"),
            Caller.Bulk => Client(PlatformClients.Bulk, platform.Identity.BulkClientSecret, "sentiment.read sentiment.score"),
            Caller.ScoreOnly => Client(PlatformClients.Bulk, platform.Identity.BulkClientSecret, "sentiment.score"),
            Caller.Admin => Password("sentiment.read sentiment.score sentiment.admin"),
            _ => Password("sentiment.read"),
        };
        using var http = platform.App.CreateHttpClient(ResourceNames.Identity, "http");
        using var response = await http.PostAsync(TokenEndpoints.Token, new FormUrlEncodedContent(form));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return response.IsSuccessStatusCode
            ? body.GetProperty("access_token").GetString()!
            : throw new InvalidOperationException($"Identity refused a token for {caller}: {body}");

        Dictionary<string, string> Password(string scope) => new()
        {
            ["grant_type"] = "password",
            ["client_id"] = PlatformClients.Web,
            ["username"] = PlatformClients.AdminUserName,
            ["password"] = platform.Identity.AdminPassword,
            ["scope"] = scope,
        };
    }

    private static Dictionary<string, string> Client(string id, string secret, string scope) => new()
    {
        ["grant_type"] = "client_credentials",
        ["client_id"] = id,
        ["client_secret"] = secret,
        ["scope"] = scope,
    };
}
