using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using AppHost.Identity;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using StackExchange.Redis;

namespace Platform.IntegrationTests;

/// <summary>Web sign-in through the Gateway: real tokens from Identity, the session in Redis, refresh and sign-out.</summary>
[Collection(PlatformCollection.Name)]
public sealed class GatewaySessionTests(PlatformFixture platform)
{
    [Fact]
    public async Task A_web_user_signs_in_reads_the_profile_refreshes_and_signs_out()
    {
        using var http = platform.App.CreateHttpClient(ResourceNames.Gateway, "http");
        await using var redis = await ConnectionMultiplexer.ConnectAsync((await platform.App.GetConnectionStringAsync(ResourceNames.Redis))!);

        var login = await http.PostAsJsonAsync("/auth/login", new { userName = PlatformClients.AdminUserName, password = platform.Identity.AdminPassword, scope = "sentiment.read" });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var tokens = await login.Content.ReadFromJsonAsync<JsonElement>();
        var sessionId = tokens.GetProperty("sessionId").GetString()!;
        Assert.True(await redis.GetDatabase().KeyExistsAsync($"session:{sessionId}"));
        Assert.True(await redis.GetDatabase().KeyTimeToLiveAsync($"session:{sessionId}") > TimeSpan.FromDays(1));

        using var profileRequest = new HttpRequestMessage(HttpMethod.Get, "/api/v1/user/profile");
        profileRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.GetProperty("accessToken").GetString());
        var profile = await (await http.SendAsync(profileRequest)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("sentiment.read", profile.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));

        // The session keeps the newest refresh token Identity hands out.
        var bySession = await http.PostAsJsonAsync("/auth/refresh", new { sessionId });
        Assert.Equal(HttpStatusCode.OK, bySession.StatusCode);
        var rotated = (await bySession.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("refreshToken").GetString();
        var byToken = await http.PostAsJsonAsync("/auth/refresh", new { refresh_token = rotated });
        Assert.Equal(HttpStatusCode.OK, byToken.StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await http.PostAsJsonAsync("/auth/logout", new { sessionId })).StatusCode);
        Assert.False(await redis.GetDatabase().KeyExistsAsync($"session:{sessionId}"));
        var afterLogout = await http.PostAsJsonAsync("/auth/refresh", new { sessionId });
        Assert.Equal(HttpStatusCode.BadRequest, afterLogout.StatusCode);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_with_a_problem()
    {
        using var http = platform.App.CreateHttpClient(ResourceNames.Gateway, "http");

        var response = await http.PostAsJsonAsync("/auth/login", new { userName = "nobody-here", password = "Wrong-password-1" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_flood_of_bad_sign_ins_is_refused_with_429_and_retry_after_not_a_hang_or_a_500()
    {
        using var http = platform.App.CreateHttpClient(ResourceNames.Gateway, "http");
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
        using var http = platform.App.CreateHttpClient(ResourceNames.Gateway, "http");

        var page = await http.GetStringAsync("/");

        Assert.Contains("<title>Reddit sentiment</title>", page);
        Assert.Contains("/api/v1/subreddits", await http.GetStringAsync("/app.js"));
    }

    [Fact]
    public async Task Responses_carry_the_security_headers_and_sign_in_responses_are_never_stored()
    {
        using var http = platform.App.CreateHttpClient(ResourceNames.Gateway, "http");

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
        Assert.True(login.Headers.CacheControl?.NoStore, "a response carrying tokens may be stored");

        using var problem = await http.GetAsync("/api/v1/subreddits");
        Assert.Equal(HttpStatusCode.Unauthorized, problem.StatusCode);
        Assert.Equal("DENY", Assert.Single(problem.Headers.GetValues("X-Frame-Options")));
    }

    [Fact]
    public async Task A_session_renews_only_with_its_own_refresh_token()
    {
        using var http = platform.App.CreateHttpClient(ResourceNames.Gateway, "http");
        async Task<JsonElement> SignInAsync()
        {
            var login = await http.PostAsJsonAsync("/auth/login", new { userName = PlatformClients.AdminUserName, password = platform.Identity.AdminPassword });
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
            return await login.Content.ReadFromJsonAsync<JsonElement>();
        }

        var mine = await SignInAsync();
        var other = await SignInAsync();

        var mixed = await http.PostAsJsonAsync("/auth/refresh",
            new { sessionId = mine.GetProperty("sessionId").GetString(), refresh_token = other.GetProperty("refreshToken").GetString() });

        Assert.Equal(HttpStatusCode.BadRequest, mixed.StatusCode);
        var own = await http.PostAsJsonAsync("/auth/refresh",
            new { sessionId = mine.GetProperty("sessionId").GetString(), refresh_token = mine.GetProperty("refreshToken").GetString() });
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
    }
}
