using System.Collections.Concurrent;
using Scorer.Models;

namespace Scorer.UnitTests.Batching;

/// <summary>
/// A model that records the batches it runs and can hold a batch inside <see cref="Score"/> until released,
/// so tests can queue texts behind it deterministically. Cost is the text's length.
/// </summary>
internal sealed class FakeModel : ISentimentModel
{
    private readonly SemaphoreSlim _release = new(0);
    private readonly SemaphoreSlim _entered = new(0);
    private volatile bool _holding;

    public ConcurrentQueue<string[]> Batches { get; } = new();

    public Func<string, SentimentPrediction> Predict { get; set; } =
        text => new SentimentPrediction(Sentiment.Positive, 0f, 0f, 1f, text.Length, 1f, false);

    public string Name => "fake";

    public string Version => "1";

    public string Device => "managed";

    public int MaxTokens => 0;

    public int Cost(string text) => text.Length;

    public bool PadsBatches { get; set; }

    public int ParallelBatches => 1;

    /// <summary>The next batch blocks in <see cref="Score"/> until <see cref="Release"/>.</summary>
    public void HoldNextBatch() => _holding = true;

    public Task WaitUntilHeldAsync() => _entered.WaitAsync(TimeSpan.FromSeconds(30));

    public void Release() => _release.Release();

    public void Score(ReadOnlySpan<string> texts, Span<SentimentPrediction> predictions)
    {
        Batches.Enqueue(texts.ToArray());
        if (_holding)
        {
            _holding = false;
            _entered.Release();
            _release.Wait(TimeSpan.FromSeconds(30));
        }

        for (var i = 0; i < texts.Length; i++)
        {
            predictions[i] = Predict(texts[i]);
        }
    }
}
