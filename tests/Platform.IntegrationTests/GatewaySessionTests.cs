using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using AppHost.Identity;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using StackExchange.Redis;

namespace Platform.IntegrationTests;

/// <summary>
/// Web sign-in through the Gateway as a backend for frontend: real tokens from Identity kept in the session in Redis,
/// an HttpOnly SameSite=Strict cookie for the browser, forged cross-site calls refused, refresh and sign-out.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class GatewaySessionTests(PlatformFixture platform)
{
    /// <summary>
    /// A client that keeps no cookies: the factory's clients share one handler, whose cookie jar would carry a
    /// session cookie set here into every other test's requests (a browser keeps cookies per user, not per process).
    /// </summary>
    private HttpClient Gateway() => new(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = platform.App.GetEndpoint(ResourceNames.Gateway, "http") };

    [Fact]
    public async Task A_web_user_gets_an_http_only_cookie_and_no_token_and_the_gateway_refreshes_and_ends_the_session()
    {
        using var http = Gateway();
        await using var redis = await ConnectionMultiplexer.ConnectAsync((await platform.App.GetConnectionStringAsync(ResourceNames.Redis))!);
        var db = redis.GetDatabase();

        using var login = await http.PostAsJsonAsync("/auth/login",
            new { userName = PlatformClients.AdminUserName, password = platform.Identity.AdminPassword, scope = "sentiment.read sentiment.score" });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var body = await login.Content.ReadAsStringAsync();
        Assert.DoesNotContain("token", body, StringComparison.OrdinalIgnoreCase); // tokens stay on the server
        var setCookie = Assert.Single(login.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("sentiment-session=", setCookie); // plain HTTP here: not Secure, so not __Host-
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", setCookie, StringComparison.OrdinalIgnoreCase);
        var cookie = setCookie.Split(';')[0];
        var sessionId = cookie["sentiment-session=".Length..];
        Assert.True(await db.KeyTimeToLiveAsync($"session:{sessionId}") > TimeSpan.FromDays(1));

        async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? json = null, bool csrf = false)
        {
            using var request = new HttpRequestMessage(method, path) { Content = json is null ? null : JsonContent.Create(json) };
            request.Headers.Add("Cookie", cookie);
            if (csrf)
            {
                request.Headers.Add("X-CSRF", "1");
            }

            return await http.SendAsync(request);
        }

        using (var profile = await SendAsync(HttpMethod.Get, "/api/v1/user/profile"))
        {
            Assert.Equal(HttpStatusCode.OK, profile.StatusCode);
            var scopes = (await profile.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("scopes").EnumerateArray().Select(s => s.GetString());
            Assert.Contains("sentiment.score", scopes);
        }

        // A state-changing call on the cookie alone is what a forged cross-site request looks like: refused.
        using (var forged = await SendAsync(HttpMethod.Post, "/api/v1/sentiment/score", new { text = "forged" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        }

        using (var scored = await SendAsync(HttpMethod.Post, "/api/v1/sentiment/score", new { text = "what a lovely day" }, csrf: true))
        {
            Assert.Equal(HttpStatusCode.OK, scored.StatusCode);
        }

        // The access token about to expire: the Gateway refreshes it with the session's refresh token by itself.
        var before = JsonSerializer.Deserialize<JsonElement>((string)(await db.StringGetAsync($"session:{sessionId}"))!);
        var aged = JsonSerializer.Serialize(JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(before.GetRawText())!
            .Select(pair => pair.Key == "AccessTokenExpiresAt" ? KeyValuePair.Create(pair.Key, JsonSerializer.SerializeToElement(DateTimeOffset.UtcNow.AddSeconds(5))) : pair)
            .ToDictionary());
        await db.StringSetAsync($"session:{sessionId}", aged, TimeSpan.FromDays(14));
        using (var profile = await SendAsync(HttpMethod.Get, "/api/v1/user/profile"))
        {
            Assert.Equal(HttpStatusCode.OK, profile.StatusCode);
        }

        var after = JsonSerializer.Deserialize<JsonElement>((string)(await db.StringGetAsync($"session:{sessionId}"))!);
        Assert.NotEqual(before.GetProperty("AccessToken").GetString(), after.GetProperty("AccessToken").GetString());
        Assert.NotEqual(before.GetProperty("RefreshToken").GetString(), after.GetProperty("RefreshToken").GetString());

        using (var noCsrf = await SendAsync(HttpMethod.Post, "/auth/logout"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, noCsrf.StatusCode);
        }

        using (var logout = await SendAsync(HttpMethod.Post, "/auth/logout", csrf: true))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
            Assert.Contains(logout.Headers.GetValues("Set-Cookie"), value => value.StartsWith("sentiment-session=;", StringComparison.Ordinal));
        }

        Assert.False(await db.KeyExistsAsync($"session:{sessionId}"));
        using (var afterLogout = await SendAsync(HttpMethod.Get, "/api/v1/user/profile"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, afterLogout.StatusCode);
        }
    }

    [Fact]
    public async Task A_session_id_planted_before_sign_in_does_not_become_the_users_session()
    {
        using var http = Gateway();
        const string planted = "sentiment-session=0000000000000000000000000000000000000000000000000000000000000000";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/auth/login")
        {
            Content = JsonContent.Create(new { userName = PlatformClients.AdminUserName, password = platform.Identity.AdminPassword }),
        };
        request.Headers.Add("Cookie", planted);
        request.Headers.Add("X-CSRF", "1");

        using var login = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var issued = Assert.Single(login.Headers.GetValues("Set-Cookie")).Split(';')[0];
        Assert.NotEqual(planted, issued);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_with_a_problem()
    {
        using var http = Gateway();

        var response = await http.PostAsJsonAsync("/auth/login", new { userName = "nobody-here", password = "Wrong-password-1" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_flood_of_bad_sign_ins_is_refused_with_429_and_retry_after_not_a_hang_or_a_500()
    {
        using var http = Gateway();
        // All at once, so they land in one window of the limit however slow each sign-in is on a busy machine.
        var responses = await Task.WhenAll(Enumerable.Range(0, IdentityTestCredentials.TokenRequestsPerWindow * 2).Select(_ =>
            http.PostAsJsonAsync("/auth/login", new { userName = "nobody-floods", password = "Wrong-password-1" })));
        Assert.All(responses, response =>
            Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.TooManyRequests, $"got {(int)response.StatusCode}"));
        var limited = responses.FirstOrDefault(response => response.StatusCode == HttpStatusCode.TooManyRequests);

        Assert.NotNull(limited);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        var retryAfter = limited.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), IdentityTestCredentials.RateLimitWindow);

        await Task.Delay(retryAfter.Value + TimeSpan.FromMilliseconds(500)); // leave the window for the other sign-in tests
    }

    [Fact]
    public async Task The_dashboard_page_is_served()
    {
        using var http = Gateway();

        var page = await http.GetStringAsync("/");

        Assert.Contains("<title>Reddit sentiment</title>", page);
        Assert.Contains("/api/v1/subreddits", await http.GetStringAsync("/app.js"));
    }

    [Fact]
    public async Task Responses_carry_the_security_headers_and_sign_in_responses_are_never_stored()
    {
        using var http = Gateway();

        using var page = await http.GetAsync("/");
        Assert.Equal("DENY", Assert.Single(page.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("nosniff", Assert.Single(page.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(page.Headers.GetValues("Referrer-Policy")));
        var policy = Assert.Single(page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
        // The policy refuses inline scripts, so the page must have none.
        Assert.DoesNotMatch("<script(?![^>]*\\bsrc=)", await page.Content.ReadAsStringAsync());

        using var login = await http.PostAsJsonAsync("/auth/login", new { userName = PlatformClients.AdminUserName, password = platform.Identity.AdminPassword });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.True(login.Headers.CacheControl?.NoStore, "a sign-in response (it sets the session cookie) may be stored");

        using var problem = await http.GetAsync("/api/v1/subreddits");
        Assert.Equal(HttpStatusCode.Unauthorized, problem.StatusCode);
        Assert.Equal("DENY", Assert.Single(problem.Headers.GetValues("X-Frame-Options")));
    }
}
