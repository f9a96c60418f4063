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
    public async Task The_accurate_model_runs_on_cpu_where_cuda_cannot_load_and_is_the_default()
    {
        var response = await Client.ListModelsAsync(new ListModelsRequest());

        var accurate = Assert.Single(response.Models, m => m.Name == "accurate");
        Assert.Equal("cpu", accurate.Device); // Device=auto fell back: this machine has no CUDA
        Assert.True(accurate.IsDefault);
        Assert.Equal(256, accurate.MaxTokens);
    }

    [Fact]
    public async Task The_accurate_model_scores_and_flags_truncated_texts()
    {
        var response = await Client.ScoreAsync(Request("",
            "I absolutely love this, best thing ever!", "This is the worst, I hate it.", string.Join(' ', Enumerable.Repeat("word", 600))));

        Assert.Equal(
            [SentimentLabel.Positive, SentimentLabel.Negative],
            response.Results.Take(2).Select(r => r.Label));
        Assert.False(response.Results[0].Truncated);
        Assert.True(response.Results[2].Truncated);
        Assert.All(response.Results, r => Assert.Equal("accurate", r.Model));
    }

    [Fact]
    public async Task Concurrent_callers_are_merged_into_batches()
    {
        const int Callers = 48;
        var before = await BatchHistogramAsync();

        await Task.WhenAll(Enumerable.Range(0, Callers).Select(i =>
            Client.ScoreAsync(Request("accurate", $"caller {i} thinks this is quite good")).ResponseAsync));

        // The Prometheus exporter refreshes its snapshot; wait until all texts are counted.
        (double Batches, double Texts) after = default;
        Assert.True(await Eventually.HoldsAsync(async _ => (after = await BatchHistogramAsync()).Texts - before.Texts >= Callers, TimeSpan.FromSeconds(30)));
        Assert.True(after.Batches - before.Batches < Callers, $"{Callers} concurrent callers ran in {after.Batches - before.Batches} batches");
    }

    /// <summary>The accurate model's batch-size histogram from the Scorer's /metrics: (batches, texts).</summary>
    private async Task<(double Batches, double Texts)> BatchHistogramAsync()
    {
        using var http = platform.App.CreateHttpClient(ResourceNames.Scorer, "http");
        var lines = (await http.GetStringAsync("/metrics")).Split('\n');
        double Value(string metric) => lines
            .Where(l => l.StartsWith(metric, StringComparison.Ordinal) && l.Contains("model=\"accurate\"", StringComparison.Ordinal))
            .Select(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture))
            .FirstOrDefault();
        return (Value("scorer_batch_size_count"), Value("scorer_batch_size_sum"));
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
