using System.Diagnostics;
using System.Threading.Channels;
using Scorer.Infrastructure;
using Scorer.Models;

namespace Scorer.Services.Batching;

/// <summary>
/// The dynamic batcher of one model: callers' texts join one bounded queue, whose head (up to
/// <see cref="BatchingOptions.SortWindowBatches"/> batches' worth) is a pool kept sorted by cost and shared by the
/// model's workers. A free worker cuts the whole pool into batches of texts of similar length
/// (<see cref="BatchCutter"/>, within the item count and token budget) and takes the one holding the oldest text,
/// leaving the rest to be cut again with whatever arrives meanwhile; so each batch is chosen from everything
/// waiting, and no worker sits on texts another could run. For a model that does not pad, order saves nothing:
/// its pool stays in arrival order and batches are taken from the front. While the pool holds less than one batch, a worker
/// waits up to the queue delay from the oldest text's arrival for company. A full queue refuses at once;
/// texts whose caller's deadline has passed, or who cancelled, are dropped before they run.
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

    /// <summary>The queue's head, sorted by (cost, arrival) when the model pads, else in arrival order; guarded by <see cref="_gate"/>.</summary>
    private readonly List<QueuedText> _pool;
    private readonly Lock _gate = new();
    private int _queued;
    private long _arrivals;

    public BatchScheduler(ISentimentModel model, BatchingOptions options, ScorerTelemetry telemetry, TimeProvider time)
    {
        _model = model;
        _options = options;
        _telemetry = telemetry;
        _time = time;
        _pool = new List<QueuedText>(PoolCapacity);
        _workers = Enumerable.Range(0, options.Workers ?? model.ParallelBatches).Select(_ => Task.Run(RunWorkerAsync)).ToArray();
    }

    public ISentimentModel Model => _model;

    /// <summary>Texts admitted and not yet taken into a batch.</summary>
    public int QueuedTexts => Volatile.Read(ref _queued);

    private int PoolCapacity => _options.MaxBatchItems * _options.SortWindowBatches;

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
            _queue.Writer.TryWrite(new QueuedText(request, i, texts[i], _model.Cost(texts[i]), Interlocked.Increment(ref _arrivals)));
        }

        return await request.Task.ConfigureAwait(false);
    }

    private async Task RunWorkerAsync()
    {
        var batch = new List<QueuedText>(_options.MaxBatchItems);
        try
        {
            while (await TakeBatchAsync(batch).ConfigureAwait(false))
            {
                Execute(batch);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>Fills <paramref name="batch"/> from the pool, waiting for texts as needed; false once stopping.</summary>
    private async Task<bool> TakeBatchAsync(List<QueuedText> batch)
    {
        while (true)
        {
            TimeSpan wait;
            lock (_gate)
            {
                Refill();
                if (TryTake(batch, out wait))
                {
                    return true;
                }
            }

            if (wait == Timeout.InfiniteTimeSpan)
            {
                if (!await _queue.Reader.WaitToReadAsync(_stopping.Token).ConfigureAwait(false))
                {
                    return false;
                }
            }
            else
            {
                await WaitForTextAsync(wait).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Moves queued texts into the pool (in sorted place for a padding model) until it is full.</summary>
    private void Refill()
    {
        while (_pool.Count < PoolCapacity && _queue.Reader.TryRead(out var item))
        {
            if (Discarded(item))
            {
                continue;
            }

            if (!_model.PadsBatches)
            {
                _pool.Add(item);
                continue;
            }

            var at = _pool.BinarySearch(item, ByCostThenArrival.Instance);
            _pool.Insert(at < 0 ? ~at : at, item);
        }
    }

    /// <summary>
    /// Takes the batch holding the oldest text, or says how long to wait: until a text arrives when the pool is
    /// empty (<see cref="Timeout.InfiniteTimeSpan"/>), else what is left of the oldest text's queue delay.
    /// </summary>
    private bool TryTake(List<QueuedText> batch, out TimeSpan wait)
    {
        var kept = 0;
        for (var i = 0; i < _pool.Count; i++)
        {
            if (!Discarded(_pool[i]))
            {
                _pool[kept++] = _pool[i];
            }
        }

        _pool.RemoveRange(kept, _pool.Count - kept);
        if (_pool.Count == 0)
        {
            wait = Timeout.InfiniteTimeSpan;
            return false;
        }

        var oldest = 0; // in arrival order, the front
        for (var i = 1; _model.PadsBatches && i < _pool.Count; i++)
        {
            if (_pool[i].Arrival < _pool[oldest].Arrival)
            {
                oldest = i;
            }
        }

        var waited = _time.GetElapsedTime(_pool[oldest].Request.EnqueuedAt);
        if (_pool.Count < _options.MaxBatchItems && waited < _options.MaxQueueDelay)
        {
            wait = _options.MaxQueueDelay - waited;
            return false;
        }

        var (start, end) = BatchHolding(oldest);
        for (var i = start; i < end; i++)
        {
            batch.Add(_pool[i]);
        }

        _pool.RemoveRange(start, end - start);
        Interlocked.Add(ref _queued, -batch.Count);
        wait = TimeSpan.Zero;
        return true;
    }

    /// <summary>
    /// Whether <paramref name="item"/> leaves the queue unrun because its caller cancelled or another of its
    /// texts already failed it; if so it no longer counts as queued.
    /// </summary>
    private bool Discarded(in QueuedText item)
    {
        if (!item.Request.IsDone)
        {
            return false;
        }

        Interlocked.Decrement(ref _queued);
        return true;
    }

    /// <summary>The [start, end) of the pool's batch, as cut now, that holds the text at <paramref name="index"/>.</summary>
    private (int Start, int End) BatchHolding(int index)
    {
        var count = _pool.Count;
        Span<int> costs = count <= 1024 ? stackalloc int[count] : new int[count];
        Span<int> ends = count <= 1024 ? stackalloc int[count] : new int[count];
        for (var i = 0; i < count; i++)
        {
            costs[i] = _pool[i].Cost;
        }

        var batches = BatchCutter.Cut(costs, _options.MaxBatchItems, _options.MaxBatchTokens, _model.PadsBatches, _options.BatchOverheadTokens, ends);
        var start = 0;
        foreach (var end in ends[..batches])
        {
            if (index < end)
            {
                return (start, end);
            }

            start = end;
        }

        throw new InvalidOperationException("The batches do not cover the pool.");
    }

    private async Task WaitForTextAsync(TimeSpan wait)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        timeout.CancelAfter(wait);
        try
        {
            await _queue.Reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!_stopping.IsCancellationRequested)
        {
            // the delay is up
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

    /// <summary>Shorter texts first; among equals, earlier arrivals first (each arrival number is unique).</summary>
    private sealed class ByCostThenArrival : IComparer<QueuedText>
    {
        public static readonly ByCostThenArrival Instance = new();

        public int Compare(QueuedText x, QueuedText y) =>
            x.Cost != y.Cost ? x.Cost.CompareTo(y.Cost) : x.Arrival.CompareTo(y.Arrival);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_workers).ConfigureAwait(false);
        var shuttingDown = new OperationCanceledException("The Scorer is shutting down.");
        while (_queue.Reader.TryRead(out var left))
        {
            left.Request.Fail(shuttingDown);
        }

        lock (_gate)
        {
            foreach (var left in _pool)
            {
                left.Request.Fail(shuttingDown);
            }

            _pool.Clear();
        }

        _stopping.Dispose();
    }
}
