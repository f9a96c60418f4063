using System.Net;
using System.Text;
using Collector.Ingestion.Reddit;

namespace Collector.UnitTests.Reddit;

/// <summary>Tokens: grants, caching, expiry and 401s, against the fake server.</summary>
public sealed class RedditAuthorizerTests : IAsyncLifetime
{
    private FakeRedditServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeRedditServer.StartAsync();
        _server.AddPosts("dotnet", 3);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task App_only_auth_uses_client_credentials_with_basic_auth()
    {
        await using var host = RedditTestHost.Create(_server.BaseUrl);

        await host.Authorizer.GetTokenAsync(CancellationToken.None);

        var request = Assert.Single(_server.TokenRequests);
        Assert.Equal("POST", request.Method);
        Assert.Equal(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }, request.Form);
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{FakeRedditServer.ClientId}:{FakeRedditServer.ClientSecret}"));
        Assert.Equal($"Basic {basic}", request.Authorization);
        Assert.Equal(RedditTestHost.UserAgent, request.UserAgent);
    }

    [Fact]
    public async Task Script_apps_use_the_password_grant()
    {
        await using var host = RedditTestHost.Create(_server.BaseUrl, settings: new Dictionary<string, string?>
        {
            ["Username"] = FakeRedditServer.Username,
            ["Password"] = FakeRedditServer.Password,
        });

        await host.Authorizer.GetTokenAsync(CancellationToken.None);

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["grant_type"] = "password",
                ["username"] = FakeRedditServer.Username,
                ["password"] = FakeRedditServer.Password,
            },
            Assert.Single(_server.TokenRequests).Form);
    }

    [Fact]
    public async Task A_wrong_password_fails_at_once_with_the_oauth_error()
    {
        await using var host = RedditTestHost.Create(_server.BaseUrl, settings: new Dictionary<string, string?>
        {
            ["Username"] = FakeRedditServer.Username,
            ["Password"] = "wrong",
        });

        var failure = await Assert.ThrowsAsync<RedditAuthenticationException>(
            () => host.Client.GetListingAsync("/r/dotnet/new", ListingQuery.FirstPage, CancellationToken.None));

        Assert.Equal("invalid_grant", failure.Error);
        Assert.Single(_server.TokenRequests);
        Assert.Empty(_server.ApiRequests);
    }

    [Fact]
    public async Task Wrong_client_credentials_fail_at_once()
    {
        await using var host = RedditTestHost.Create(_server.BaseUrl, settings: new Dictionary<string, string?> { ["ClientSecret"] = "nope" });

        var failure = await Assert.ThrowsAsync<RedditAuthenticationException>(
            () => host.Client.GetListingAsync("/r/dotnet/new", ListingQuery.FirstPage, CancellationToken.None));

        Assert.Equal(HttpStatusCode.Unauthorized, failure.StatusCode);
        Assert.Single(_server.TokenRequests);
    }

    [Fact]
    public async Task The_token_is_reused_until_shortly_before_it_expires()
    {
        _server.TokenLifetime = TimeSpan.FromHours(1);
        var clock = new SkippingClock();
        await using var host = RedditTestHost.Create(_server.BaseUrl, clock);

        await host.Client.GetListingAsync("/r/dotnet/new", ListingQuery.FirstPage, CancellationToken.None);
        clock.Advance(TimeSpan.FromHours(1) - RedditAuthorizer.ExpiryMargin - TimeSpan.FromSeconds(1));
        await host.Client.GetListingAsync("/r/dotnet/new", ListingQuery.FirstPage, CancellationToken.None);
        Assert.Single(_server.TokenRequests);

        clock.Advance(TimeSpan.FromSeconds(1));
        await host.Client.GetListingAsync("/r/dotnet/new", ListingQuery.FirstPage, CancellationToken.None);

        Assert.Equal(2, _server.TokenRequests.Count);
        Assert.Equal(["fake-token-1", "fake-token-1", "fake-token-2"], _server.ApiRequests.Select(r => r.BearerToken));
    }

    [Fact]
    public async Task A_401_fetches_a_new_token_and_retries_once()
    {
        await using var host = RedditTestHost.Create(_server.BaseUrl);
        await host.Client.GetListingAsync("/r/dotnet/new", ListingQuery.FirstPage, CancellationToken.None);
        _server.Enqueue(FakeFault.ExpireToken());

        var listing = await host.Client.GetListingAsync("/r/dotnet/new", ListingQuery.FirstPage, CancellationToken.None);

        Assert.Equal(3, listing.Children.Count);
        Assert.Equal(
            [("fake-token-1", 200), ("fake-token-1", 401), ("fake-token-2", 200)],
            _server.ApiRequests.Select(r => (r.BearerToken, r.StatusCode)));
        Assert.Equal(2, _server.TokenRequests.Count);
    }

    [Fact]
    public async Task A_second_401_for_the_same_request_is_not_retried_again()
    {
        await using var host = RedditTestHost.Create(_server.BaseUrl);
        _server.RejectAllTokens = true;

        var failure = await Assert.ThrowsAsync<RedditApiException>(
            () => host.Client.GetListingAsync("/r/dotnet/new", ListingQuery.FirstPage, CancellationToken.None));

        Assert.Equal(HttpStatusCode.Unauthorized, failure.StatusCode);
        Assert.Equal(2, _server.ApiRequests.Count);
        Assert.Equal(2, _server.TokenRequests.Count);
    }

    [Fact]
    public async Task Concurrent_callers_share_one_token_fetch()
    {
        await using var host = RedditTestHost.Create(_server.BaseUrl);

        var tokens = await Task.WhenAll(Enumerable.Range(0, 8)
            .Select(_ => Task.Run(() => host.Authorizer.GetTokenAsync(CancellationToken.None).AsTask())));

        Assert.Single(tokens.Distinct());
        Assert.Single(_server.TokenRequests);
    }

    [Fact]
    public async Task Concurrent_401s_refresh_the_token_once()
    {
        await using var host = RedditTestHost.Create(_server.BaseUrl);
        await host.Authorizer.GetTokenAsync(CancellationToken.None);
        _server.ExpireAllTokens();

        await Task.WhenAll(Enumerable.Range(0, 4)
            .Select(_ => Task.Run(() => host.Client.GetListingAsync("/r/dotnet/new", ListingQuery.FirstPage, CancellationToken.None))));

        Assert.Equal(2, _server.TokenRequests.Count);
    }

    [Fact]
    public async Task A_token_endpoint_outage_is_retried()
    {
        await using var host = RedditTestHost.Create(_server.BaseUrl);
        _server.EnqueueTokenFault(FakeFault.Status(503));

        var listing = await host.Client.GetListingAsync("/r/dotnet/new", ListingQuery.FirstPage, CancellationToken.None);

        Assert.Equal(3, listing.Children.Count);
        Assert.Equal([503, 200], _server.TokenRequests.Select(r => r.StatusCode));
    }
}
