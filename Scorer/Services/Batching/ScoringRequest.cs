using System.Diagnostics;
using Scorer.Models;

namespace Scorer.Services.Batching;

/// <summary>
/// One caller's texts while they are queued and scored: its results fill in as the batches that took its
/// texts complete, possibly several batches in parallel, and its task completes with the last one.
/// </summary>
internal sealed class ScoringRequest : IDisposable
{
    private readonly TaskCompletionSource<SentimentPrediction[]> _completion =
        new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SentimentPrediction[] _results;
    private readonly CancellationTokenRegistration _cancellation;
    private int _remaining;

    public ScoringRequest(int count, DateTimeOffset? deadline, long enqueuedAt, CancellationToken cancellationToken)
    {
        _results = new SentimentPrediction[count];
        _remaining = count;
        Deadline = deadline;
        EnqueuedAt = enqueuedAt;
        TraceContext = Activity.Current?.Context ?? default;
        _cancellation = cancellationToken.Register(
            static state => ((ScoringRequest)state!)._completion.TrySetCanceled(), this);
    }

    public DateTimeOffset? Deadline { get; }

    /// <summary>A <see cref="TimeProvider.GetTimestamp"/> value.</summary>
    public long EnqueuedAt { get; }

    /// <summary>The caller's trace, linked from the spans of the batches that score its texts.</summary>
    public ActivityContext TraceContext { get; }

    public Task<SentimentPrediction[]> Task => _completion.Task;

    /// <summary>Cancelled, failed or complete: its texts still in the queue are skipped.</summary>
    public bool IsDone => _completion.Task.IsCompleted;

    public void Complete(int index, SentimentPrediction prediction)
    {
        _results[index] = prediction;
        if (Interlocked.Decrement(ref _remaining) == 0)
        {
            _completion.TrySetResult(_results);
        }
    }

    public void Fail(Exception error) => _completion.TrySetException(error);

    public void Dispose() => _cancellation.Dispose();
}

/// <summary>One text of a <see cref="ScoringRequest"/> in a model's queue; <paramref name="Arrival"/> numbers texts in queue order.</summary>
internal readonly record struct QueuedText(ScoringRequest Request, int Index, string Text, int Cost, long Arrival);
