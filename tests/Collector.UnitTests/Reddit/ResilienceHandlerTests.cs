using System.Net;
using Collector.Ingestion.Reddit;
using Microsoft.Extensions.DependencyInjection;

namespace Collector.UnitTests.Reddit;

/// <summary>
/// AddServiceDefaults puts the standard resilience handler on every HttpClient; the Reddit client must not
/// have it under its own retries, or each of its attempts would become several.
/// </summary>
public sealed class ResilienceHandlerTests : IAsyncLifetime
{
    private FakeRedditServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeRedditServer.StartAsync();
        _server.AddPosts("dotnet", 1);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static void AddServiceDefaultsResilience(IServiceCollection services) =>
        services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Service_defaults_resilience_does_not_multiply_attempts(bool defaultsFirst)
    {
        await using var host = RedditTestHost.Create(
            _server.BaseUrl,
            settings: new Dictionary<string, string?> { ["MaxRetries"] = "2" },
            before: defaultsFirst ? AddServiceDefaultsResilience : null,
            after: defaultsFirst ? null : AddServiceDefaultsResilience);
        _server.Enqueue(Enumerable.Repeat(FakeFault.Status(503), 20).ToArray());

        var failure = await Assert.ThrowsAsync<RedditApiException>(
            () => host.Client.GetListingAsync("/r/dotnet/new", ListingQuery.FirstPage, CancellationToken.None));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failure.StatusCode);
        Assert.Equal(3, _server.ApiRequests.Count);
    }
}
