using Aspire.Hosting.Testing;
using Grpc.Core;
using Grpc.Net.Client;
using RedditSentiment.Protos.Gateway.V1;
using ScoreRequest = RedditSentiment.Protos.Sentiment.V1.ScoreRequest;
using TextItem = RedditSentiment.Protos.Sentiment.V1.TextItem;

namespace Platform.IntegrationTests;

/// <summary>The Gateway's public gRPC API over real HTTP/2: bulk scoring through to the Scorer, and validation.</summary>
[Collection(PlatformCollection.Name)]
public sealed class GatewayGrpcTests(PlatformFixture platform) : IDisposable
{
    private readonly GrpcChannel _channel = GrpcChannel.ForAddress(platform.App.GetEndpoint(ResourceNames.Gateway, "grpc"));

    private SentimentApi.SentimentApiClient Client => new(_channel);

    [Fact]
    public async Task A_bulk_stream_of_ten_thousand_texts_returns_ten_thousand_ordered_results()
    {
        const int Total = 10_000, PerMessage = 500;
        using var call = Client.ScoreStream(await platform.GrpcHeadersAsync(Caller.Bulk), DateTime.UtcNow.AddMinutes(5));
        var sending = Task.Run(async () =>
        {
            for (var start = 0; start < Total; start += PerMessage)
            {
                var request = new ScoreRequest { Model = "fast" };
                request.Items.AddRange(Enumerable.Range(start, PerMessage).Select(i => new TextItem
                {
                    Id = $"bulk-{i}",
                    Text = i % 3 == 0 ? "this is wonderful" : i % 3 == 1 ? "this is awful" : "this is a chair",
                }));
                await call.RequestStream.WriteAsync(request);
            }

            await call.RequestStream.CompleteAsync();
        });

        var results = new List<RedditSentiment.Protos.Sentiment.V1.SentimentResult>(Total);
        await foreach (var response in call.ResponseStream.ReadAllAsync())
        {
            results.AddRange(response.Results);
        }

        await sending;
        Assert.Equal(Enumerable.Range(0, Total).Select(i => $"bulk-{i}"), results.Select(r => r.Id));
        Assert.Equal(RedditSentiment.Protos.Sentiment.V1.SentimentLabel.Positive, results[0].Label);
        Assert.Equal(RedditSentiment.Protos.Sentiment.V1.SentimentLabel.Negative, results[1].Label);
    }

    [Fact]
    public async Task An_oversized_message_gets_invalid_argument()
    {
        using var call = Client.ScoreStream(await platform.GrpcHeadersAsync(Caller.Bulk));
        var request = new ScoreRequest { Model = "fast" };
        request.Items.AddRange(Enumerable.Range(0, 2000).Select(i => new TextItem { Id = $"{i}", Text = "x" }));

        await call.RequestStream.WriteAsync(request);
        await call.RequestStream.CompleteAsync();
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var _ in call.ResponseStream.ReadAllAsync())
            {
            }
        });

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("at most 1024", error.Status.Detail);
    }

    [Fact]
    public async Task Reads_refuse_invalid_requests_with_the_rest_apis_messages()
    {
        var headers = await platform.GrpcHeadersAsync(Caller.Service);

        var error = await Assert.ThrowsAsync<RpcException>(() => Client.ListPostsAsync(new ListPostsRequest { Limit = 500 }, headers).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("limit: Use 1 to 100.", error.Status.Detail);
    }

    [Fact]
    public async Task A_missing_post_is_not_found()
    {
        var headers = await platform.GrpcHeadersAsync(Caller.Service);

        var error = await Assert.ThrowsAsync<RpcException>(() => Client.GetPostAsync(new GetPostRequest { Id = "nope0" }, headers).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    public void Dispose() => _channel.Dispose();
}
