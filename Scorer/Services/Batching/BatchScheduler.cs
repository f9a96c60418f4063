using System.Diagnostics;
using System.Threading.Channels;
using Scorer.Infrastructure;
using Scorer.Models;

namespace Scorer.Services.Batching;

/// <summary>
/// The dynamic batcher of one model: callers' texts join one bounded queue; a worker takes a window of up to
/// <see cref="BatchingOptions.SortWindowBatches"/> batches' worth (waiting at most the queue delay for a first
/// full batch), sorts it by cost so that texts of similar length share a batch, and runs it as the batches
/// <see cref="BatchCutter"/> cuts within the item count and token budget. A full queue refuses at once; texts whose
/// caller's deadline has passed, or who cancelled, are dropped before they run.
/// </summary>
public sealed class BatchScheduler : IAsyncDisposable
{
    private readonly ISentimentModel _model;
    private readonly BatchingOptions _options;
    private readonly ScorerTelemetry _telemetry;
    private readonly TimeProvider _time;
    private readonly Channel<QueuedText> _queue =
        Channel.CreateUnbounded<QueuedText>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task[] _workers;
    private int _queued;

    public BatchScheduler(ISentimentModel model, BatchingOptions options, ScorerTelemetry telemetry, TimeProvider time)
    {
        _model = model;
        _options = options;
        _telemetry = telemetry;
        _time = time;
        _workers = Enumerable.Range(0, options.Workers ?? model.ParallelBatches).Select(_ => Task.Run(RunWorkerAsync)).ToArray();
    }

    public ISentimentModel Model => _model;

    /// <summary>Texts admitted and not yet taken into a batch.</summary>
    public int QueuedTexts => Volatile.Read(ref _queued);

    /// <exception cref="QueueFullException">The queue cannot take all of <paramref name="texts"/>.</exception>
    public async Task<SentimentPrediction[]> ScoreAsync(
        IReadOnlyList<string> texts, DateTimeOffset? deadline, CancellationToken cancellationToken)
    {
        if (texts.Count == 0)
        {
            return [];
        }

        // All or nothing: a caller never gets part of its texts admitted.
        if (Interlocked.Add(ref _queued, texts.Count) > _options.QueueCapacity)
        {
            Interlocked.Add(ref _queued, -texts.Count);
            _telemetry.RecordDropped(_model.Name, "queue_full", texts.Count);
            throw new QueueFullException(_model.Name, _options.QueueCapacity);
        }

        using var request = new ScoringRequest(texts.Count, deadline, _time.GetTimestamp(), cancellationToken);
        for (var i = 0; i < texts.Count; i++)
        {
            _queue.Writer.TryWrite(new QueuedText(request, i, texts[i], _model.Cost(texts[i])));
        }

        return await request.Task.ConfigureAwait(false);
    }

    private async Task RunWorkerAsync()
    {
        var window = new List<QueuedText>(_options.MaxBatchItems * _options.SortWindowBatches);
        var batch = new List<QueuedText>(_options.MaxBatchItems);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(_stopping.Token).ConfigureAwait(false))
            {
                await FillWindowAsync(window).ConfigureAwait(false);

                // Within what is queued, texts of similar length go together: less padding per batch.
                window.Sort(static (a, b) => a.Cost.CompareTo(b.Cost));
                CutAndExecute(window, batch);
                window.Clear();
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Takes queued texts until the window is full; while it holds less than one batch, waits up to the
    /// queue delay (from the first text) for company.
    /// </summary>
    private async Task FillWindowAsync(List<QueuedText> window)
    {
        var capacity = _options.MaxBatchItems * _options.SortWindowBatches;
        var closesAt = _time.GetTimestamp() + (long)(_options.MaxQueueDelay.TotalSeconds * _time.TimestampFrequency);

        while (window.Count < capacity)
        {
            if (_queue.Reader.TryRead(out var item))
            {
                Interlocked.Decrement(ref _queued);
                if (!item.Request.IsDone) // its caller cancelled, or another of its texts already failed it
                {
                    window.Add(item);
                }

                continue;
            }

            var wait = _time.GetElapsedTime(_time.GetTimestamp(), closesAt);
            if (window.Count >= _options.MaxBatchItems || wait <= TimeSpan.Zero || !await WaitForTextAsync(wait).ConfigureAwait(false))
            {
                break;
            }
        }
    }

    private async Task<bool> WaitForTextAsync(TimeSpan wait)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        timeout.CancelAfter(wait);
        try
        {
            return await _queue.Reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!_stopping.IsCancellationRequested)
        {
            return false;
        }
    }

    private void CutAndExecute(List<QueuedText> window, List<QueuedText> batch)
    {
        Span<int> costs = window.Count <= 1024 ? stackalloc int[window.Count] : new int[window.Count];
        Span<int> ends = window.Count <= 1024 ? stackalloc int[window.Count] : new int[window.Count];
        for (var i = 0; i < window.Count; i++)
        {
            costs[i] = window[i].Cost;
        }

        var batches = BatchCutter.Cut(costs, _options.MaxBatchItems, _options.MaxBatchTokens, _model.PadsBatches, _options.BatchOverheadTokens, ends);
        var start = 0;
        foreach (var end in ends[..batches])
        {
            for (var i = start; i < end; i++)
            {
                batch.Add(window[i]);
            }

            Execute(batch);
            batch.Clear();
            start = end;
        }
    }

    private void Execute(List<QueuedText> batch)
    {
        var started = _time.GetTimestamp();
        var now = _time.GetUtcNow();
        var expired = 0;
        batch.RemoveAll(item =>
        {
            if (item.Request.Deadline is { } deadline && deadline <= now)
            {
                item.Request.Fail(new DeadlineExpiredException(_model.Name));
                expired++;
                return true;
            }

            return item.Request.IsDone;
        });

        if (expired > 0)
        {
            _telemetry.RecordDropped(_model.Name, "deadline", expired);
        }

        if (batch.Count == 0)
        {
            return;
        }

        using var activity = StartBatchActivity(batch);
        var texts = new string[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            texts[i] = batch[i].Text;
            _telemetry.RecordQueueTime(_model.Name, _time.GetElapsedTime(batch[i].Request.EnqueuedAt, started));
        }

        var predictions = new SentimentPrediction[batch.Count];
        try
        {
            _model.Score(texts, predictions);
        }
        catch (Exception error)
        {
            activity?.SetStatus(ActivityStatusCode.Error, error.Message);
            foreach (var item in batch)
            {
                item.Request.Fail(error);
            }

            return;
        }

        _telemetry.RecordBatch(_model.Name, batch.Count, _time.GetElapsedTime(started));
        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Request.Complete(batch[i].Index, predictions[i]);
        }
    }

    /// <summary>One span per batch, linked to the traces of the requests it serves.</summary>
    private Activity? StartBatchActivity(List<QueuedText> batch)
    {
        if (!ScorerTelemetry.ActivitySource.HasListeners())
        {
            return null;
        }

        var links = batch.Select(item => item.Request.TraceContext)
            .Where(context => context != default)
            .Distinct()
            .Select(context => new ActivityLink(context));
        var activity = ScorerTelemetry.ActivitySource.StartActivity(
            ActivityKind.Internal, parentContext: default, links: links, name: $"score batch {_model.Name}");
        activity?.SetTag("scorer.model", _model.Name);
        activity?.SetTag("scorer.batch.size", batch.Count);
        return activity;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_workers).ConfigureAwait(false);
        while (_queue.Reader.TryRead(out var left))
        {
            left.Request.Fail(new OperationCanceledException("The Scorer is shutting down."));
        }

        _stopping.Dispose();
    }
}
