using System.Net;
using System.Net.Http.Headers;
using Aspire.Hosting.Testing;
using Grpc.Core;
using Grpc.Net.Client;
using RedditSentiment.Protos.Gateway.V1;

namespace Platform.IntegrationTests;

/// <summary>The Gateway only answers callers holding a valid token from Identity with the endpoint's scope.</summary>
[Collection(PlatformCollection.Name)]
public sealed class GatewayAuthTests(PlatformFixture platform)
{
    [Theory]
    [InlineData("/api/v1/subreddits")]
    [InlineData("/api/v1/admin/queues")]
    public async Task No_token_gets_401(string path)
    {
        using var http = platform.App.CreateHttpClient(ResourceNames.Gateway, "http");

        var response = await http.GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
    }

    [Fact]
    public async Task A_forged_or_tampered_token_gets_401()
    {
        var token = await platform.TokenAsync(Caller.Service);
        using var http = platform.App.CreateHttpClient(ResourceNames.Gateway, "http");
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token[..^4] + "AAAA");

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/v1/subreddits")).StatusCode);
    }

    [Fact]
    public async Task A_token_without_the_scope_gets_403()
    {
        using var reader = await platform.GatewayClientAsync(Caller.Reader);
        using var service = await platform.GatewayClientAsync(Caller.Service);

        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/api/v1/subreddits")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync("/api/v1/sentiment/test")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await service.GetAsync("/api/v1/admin/queues")).StatusCode);
    }

    [Fact]
    public async Task Health_metrics_and_docs_stay_open_to_probes()
    {
        using var http = platform.App.CreateHttpClient(ResourceNames.Gateway, "http");

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/openapi/v1.json")).StatusCode);
    }

    [Fact]
    public async Task Grpc_calls_need_a_token_and_the_score_scope_for_bulk_scoring()
    {
        using var channel = GrpcChannel.ForAddress(platform.App.GetEndpoint(ResourceNames.Gateway, "grpc"));
        var client = new SentimentApi.SentimentApiClient(channel);

        var anonymous = await Assert.ThrowsAsync<RpcException>(() => client.ListSubredditsAsync(new ListSubredditsRequest()).ResponseAsync);
        using var call = client.ScoreStream(await platform.GrpcHeadersAsync(Caller.Reader));
        var denied = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));
        var allowed = await client.ListSubredditsAsync(new ListSubredditsRequest(), await platform.GrpcHeadersAsync(Caller.Reader));

        Assert.Equal(StatusCode.Unauthenticated, anonymous.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        Assert.NotNull(allowed);
    }

    [Fact]
    public async Task Bulk_scoring_needs_the_score_scope_alone_and_reads_need_the_read_scope()
    {
        using var channel = GrpcChannel.ForAddress(platform.App.GetEndpoint(ResourceNames.Gateway, "grpc"));
        var client = new SentimentApi.SentimentApiClient(channel);
        var scoreOnly = await platform.GrpcHeadersAsync(Caller.ScoreOnly);

        using var call = client.ScoreStream(scoreOnly);
        var request = new RedditSentiment.Protos.Sentiment.V1.ScoreRequest { Model = "fast" };
        request.Items.Add(new RedditSentiment.Protos.Sentiment.V1.TextItem { Id = "t1", Text = "What a great release" });
        await call.RequestStream.WriteAsync(request);
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal("t1", Assert.Single(call.ResponseStream.Current.Results).Id);

        var read = await Assert.ThrowsAsync<RpcException>(() => client.ListSubredditsAsync(new ListSubredditsRequest(), scoreOnly).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, read.StatusCode);
    }
}
