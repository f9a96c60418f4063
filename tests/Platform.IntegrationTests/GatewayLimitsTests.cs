using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Aspire.Hosting.Testing;

namespace Platform.IntegrationTests;

/// <summary>The Gateway's refusals: malformed and oversized bodies, and the per-client rate limit.</summary>
[Collection(PlatformCollection.Name)]
public sealed class GatewayLimitsTests(PlatformFixture platform) : IAsyncLifetime
{
    private HttpClient _http = null!;

    public async Task InitializeAsync() => _http = await platform.GatewayClientAsync(Caller.Admin);

    [Fact]
    public async Task Malformed_json_gets_a_400_problem()
    {
        var response = await _http.PostAsync("/api/v1/sentiment/score", new StringContent("{\"texts\": [\"unterminated", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_oversized_body_gets_a_413_problem()
    {
        var huge = JsonSerializer.Serialize(new { text = new string('a', 2 * 1024 * 1024) });

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/sentiment/score")
        {
            Content = new StringContent(huge, Encoding.UTF8, "application/json"),
        };
        // Wait for the server's go-ahead before uploading, as a well-behaved client does: the 413 comes instead.
        request.Headers.ExpectContinue = true;

        var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_client_over_its_rate_limit_gets_429_with_retry_after()
    {
        // The default bucket holds 200 requests: 400 at once must overflow it.
        var responses = await Task.WhenAll(Enumerable.Range(0, 400).Select(_ => _http.GetAsync("/api/v1/admin/queues")));

        var refused = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(refused);
        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.NotNull(refused[0].Headers.RetryAfter);
        var problem = await refused[0].Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(429, problem.GetProperty("status").GetInt32());

        // Leave the bucket refilled for the tests that follow.
        Assert.True(await Eventually.HoldsAsync(async ct => (await _http.GetAsync("/api/v1/admin/queues", ct)).IsSuccessStatusCode, TimeSpan.FromSeconds(30)));
        await Task.Delay(TimeSpan.FromSeconds(2)); // let the bucket fill completely, not just admit one
    }

    public Task DisposeAsync()
    {
        _http.Dispose();
        return Task.CompletedTask;
    }
}
