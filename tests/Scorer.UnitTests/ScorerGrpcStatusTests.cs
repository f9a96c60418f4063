using System.Diagnostics.Metrics;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RedditSentiment.Protos.Sentiment.V1;
using Scorer.Apis;
using Scorer.Infrastructure;
using Scorer.Services;
using Scorer.Services.Batching;
using Scorer.UnitTests.Batching;

namespace Scorer.UnitTests;

/// <summary>
/// The Scorer's gRPC service over real HTTP/2 on loopback, with a model the test can hold: a full queue
/// answers RESOURCE_EXHAUSTED at once, and a call whose deadline passes while queued gets
/// DEADLINE_EXCEEDED and its text never runs.
/// </summary>
public sealed class ScorerGrpcStatusTests : IAsyncLifetime
{
    private readonly FakeModel _model = new();
    private WebApplication _app = null!;
    private GrpcChannel _channel = null!;

    private RedditSentiment.Protos.Sentiment.V1.Scorer.ScorerClient Client => new(_channel);

    public async Task InitializeAsync()
    {
        // A content root of its own: the Scorer's appsettings.json (its fixed Kestrel ports) stays out.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = Directory.CreateTempSubdirectory().FullName });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddMetrics();
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<ScorerTelemetry>();
        builder.Services.AddSingleton(sp => new BatchScheduler(_model,
            new BatchingOptions { QueueCapacity = 2, MaxQueueDelay = TimeSpan.Zero, Workers = 1 },
            sp.GetRequiredService<ScorerTelemetry>(), TimeProvider.System));
        builder.Services.AddSingleton(Options.Create(new ScoringLimits { DefaultModel = "fake" }));
        builder.Services.AddSingleton<SentimentScoringService>();
        _app = builder.Build();
        _app.MapGrpcService<ScorerGrpcService>();
        await _app.StartAsync();
        _channel = GrpcChannel.ForAddress(_app.Urls.Single());
    }

    private static ScoreRequest Request(params string[] texts)
    {
        var request = new ScoreRequest();
        request.Items.AddRange(texts.Select((t, i) => new TextItem { Id = $"{i}", Text = t }));
        return request;
    }

    /// <summary>A call whose batch the model holds, so later calls wait in the queue.</summary>
    private async Task<AsyncUnaryCall<ScoreResponse>> OccupyAsync()
    {
        _model.HoldNextBatch();
        var call = Client.ScoreAsync(Request("first"));
        await _model.WaitUntilHeldAsync();
        return call;
    }

    [Fact]
    public async Task A_full_queue_answers_resource_exhausted_at_once()
    {
        using var held = await OccupyAsync();
        using var queued = Client.ScoreAsync(Request("a", "b"));
        await Eventually(() => _app.Services.GetRequiredService<BatchScheduler>().QueuedTexts == 2);

        var error = await Assert.ThrowsAsync<RpcException>(() => Client.ScoreAsync(Request("c")).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Contains("queue is full", error.Status.Detail);
        _model.Release();
        await held.ResponseAsync;
        Assert.Equal(2, (await queued.ResponseAsync).Results.Count);
    }

    [Fact]
    public async Task A_call_whose_deadline_passes_in_the_queue_is_dropped_unrun()
    {
        using var held = await OccupyAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            Client.ScoreAsync(Request("too late"), deadline: DateTime.UtcNow.AddMilliseconds(300)).ResponseAsync);
        _model.Release();
        await held.ResponseAsync;
        await Client.ScoreAsync(Request("after")); // the queue has moved past the expired text

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.DoesNotContain(_model.Batches, batch => batch.Contains("too late"));
    }

    private static async Task Eventually(Func<bool> condition)
    {
        for (var i = 0; i < 300 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }

    public async Task DisposeAsync()
    {
        _model.Release();
        _channel.Dispose();
        await _app.DisposeAsync();
    }
}
