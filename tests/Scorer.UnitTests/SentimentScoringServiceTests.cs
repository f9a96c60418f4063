using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Scorer.Infrastructure;
using Scorer.Models;
using Scorer.Services;
using Scorer.Services.Batching;
using Scorer.UnitTests.Batching;

namespace Scorer.UnitTests;

public sealed class SentimentScoringServiceTests : IAsyncLifetime
{
    private readonly FakeModel _model = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly BatchScheduler _scheduler;
    private readonly SentimentScoringService _scoring;

    public SentimentScoringServiceTests()
    {
        _scheduler = new BatchScheduler(_model, new BatchingOptions { MaxQueueDelay = TimeSpan.Zero },
            new ScorerTelemetry(_services.GetRequiredService<IMeterFactory>()), TimeProvider.System);
        _scoring = new SentimentScoringService([_scheduler],
            Options.Create(new ScoringLimits { DefaultModel = "fake", MaxItemsPerRequest = 3, MaxTextBytes = 8 }));
    }

    [Fact]
    public async Task Blank_texts_are_neutral_and_never_reach_the_model()
    {
        var results = await _scoring.ScoreAsync(_scheduler, ["", "good", "  \n\t"], null, CancellationToken.None);

        Assert.Equal([Sentiment.Neutral, Sentiment.Positive, Sentiment.Neutral], results.Select(r => r.Label));
        Assert.Equal(1f, results[0].Neutral);
        Assert.Equal(0f, results[2].Score);
        Assert.Equal([["good"]], _model.Batches.ToArray());
    }

    [Fact]
    public async Task A_call_of_only_blank_texts_runs_no_model()
    {
        var results = await _scoring.ScoreAsync(_scheduler, [" ", ""], null, CancellationToken.None);

        Assert.All(results, r => Assert.Equal(Sentiment.Neutral, r.Label));
        Assert.Empty(_model.Batches);
    }

    [Theory]
    [InlineData("nope", new[] { "a" }, "Unknown model 'nope'")]
    [InlineData("fake", new string[0], "no items")]
    [InlineData("fake", new[] { "a", "b", "c", "d" }, "at most 3")]
    [InlineData("fake", new[] { "ok", "ééééé" }, "Item 1 is 10 bytes")]
    public void Invalid_calls_are_explained(string model, string[] texts, string expected)
    {
        var reason = _scoring.Validate(model, texts, out _);

        Assert.NotNull(reason);
        Assert.Contains(expected, reason);
    }

    [Fact]
    public void A_call_without_a_model_uses_the_default()
    {
        Assert.Null(_scoring.Validate("", ["fine"], out var scheduler));
        Assert.Same(_scheduler, scheduler);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _scheduler.DisposeAsync();
        await _services.DisposeAsync();
    }
}
