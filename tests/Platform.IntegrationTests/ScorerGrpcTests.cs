using Aspire.Hosting.Testing;
using Grpc.Core;
using Grpc.Net.Client;
using RedditSentiment.Protos.Sentiment.V1;
using ScorerClient = RedditSentiment.Protos.Sentiment.V1.Scorer.ScorerClient;

namespace Platform.IntegrationTests;

/// <summary>The Scorer's <c>sentiment.v1</c> API over real gRPC (h2c) against the running service.</summary>
[Collection(PlatformCollection.Name)]
public sealed class ScorerGrpcTests(PlatformFixture platform) : IDisposable
{
    private readonly GrpcChannel _channel = GrpcChannel.ForAddress(platform.App.GetEndpoint(ResourceNames.Scorer, "grpc"));

    private ScorerClient Client => new(_channel);

    private static ScoreRequest Request(string model, params string[] texts)
    {
        var request = new ScoreRequest { Model = model };
        request.Items.AddRange(texts.Select((text, i) => new TextItem { Id = $"t{i}", Text = text }));
        return request;
    }

    [Fact]
    public async Task Fast_model_scores_a_batch_in_order_with_ids()
    {
        var response = await Client.ScoreAsync(Request("fast",
            "I love this, it is wonderful!", "This is awful and I hate it.", "The bus leaves at noon."));

        Assert.Equal(["t0", "t1", "t2"], response.Results.Select(r => r.Id));
        Assert.Equal(
            [SentimentLabel.Positive, SentimentLabel.Negative, SentimentLabel.Neutral],
            response.Results.Select(r => r.Label));
        Assert.All(response.Results, r =>
        {
            Assert.Equal("fast", r.Model);
            Assert.False(string.IsNullOrEmpty(r.ModelVersion));
            Assert.InRange(r.Score, -1f, 1f);
            Assert.InRange(r.Confidence, 0f, 1f);
            Assert.Equal(1f, r.Negative + r.Neutral + r.Positive, 4);
        });
    }

    [Fact]
    public async Task Blank_text_is_neutral_not_an_error()
    {
        var response = await Client.ScoreAsync(Request("fast", "", "   "));

        Assert.All(response.Results, r => Assert.Equal(SentimentLabel.Neutral, r.Label));
    }

    [Theory]
    [InlineData("no-such-model", 1, 10, "Unknown model")]
    [InlineData("fast", 0, 10, "no items")]
    [InlineData("fast", 1, 200_000, "bytes")]
    public async Task Invalid_requests_get_invalid_argument_with_a_message(string model, int items, int length, string expected)
    {
        var request = Request(model, Enumerable.Repeat(new string('a', length), items).ToArray());

        var error = await Assert.ThrowsAsync<RpcException>(() => Client.ScoreAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(expected, error.Status.Detail);
    }

    [Fact]
    public async Task List_models_reports_the_fast_model_and_its_device()
    {
        var response = await Client.ListModelsAsync(new ListModelsRequest());

        var fast = Assert.Single(response.Models, m => m.Name == "fast");
        Assert.Equal("managed", fast.Device);
        Assert.Equal(["negative", "neutral", "positive"], fast.Labels);
    }

    [Fact]
    public async Task Stream_answers_every_batch_in_order()
    {
        using var call = Client.ScoreStream();
        const int Batches = 40, PerBatch = 25;

        var sending = Task.Run(async () =>
        {
            for (var b = 0; b < Batches; b++)
            {
                var request = new ScoreRequest { Model = "fast" };
                request.Items.AddRange(Enumerable.Range(0, PerBatch).Select(i => new TextItem
                {
                    Id = $"{b}-{i}",
                    Text = i % 2 == 0 ? $"great stuff number {i}" : $"terrible thing {i}",
                }));
                await call.RequestStream.WriteAsync(request);
            }

            await call.RequestStream.CompleteAsync();
        });

        var ids = new List<string>();
        await foreach (var response in call.ResponseStream.ReadAllAsync())
        {
            ids.AddRange(response.Results.Select(r => r.Id));
        }

        await sending;
        var expected = Enumerable.Range(0, Batches).SelectMany(b => Enumerable.Range(0, PerBatch).Select(i => $"{b}-{i}"));
        Assert.Equal(expected, ids);
    }

    public void Dispose() => _channel.Dispose();
}
