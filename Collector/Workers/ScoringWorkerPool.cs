using Collector.Infrastructure;
using Collector.Queues;
using Microsoft.Extensions.Options;

namespace Collector.Workers;

/// <summary>
/// Runs <c>Collector:Workers:Count</c> worker loops, each with its own id and processing list, keeps their
/// heartbeats alive, re-delivers the batches of workers that died (any replica may reap any dead worker)
/// and samples the queue lengths for metrics. Redis outages are waited out, never fatal.
/// </summary>
public sealed class ScoringWorkerPool(
    ScoringWorker worker,
    RedisWorkQueue queue,
    Storage.MigrationService migrations,
    IOptions<WorkerOptions> options,
    CollectorTelemetry telemetry,
    TimeProvider time,
    ILogger<ScoringWorkerPool> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.Count == 0)
        {
            return;
        }

        await migrations.Migrated.WaitAsync(stoppingToken);
        var ids = Enumerable.Range(0, settings.Count)
            .Select(i => $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}-{i}")
            .ToList();
        logger.LogInformation("Starting {Count} scoring workers (batch size {BatchSize}, model {Model})",
            settings.Count, settings.BatchSize, settings.ModelType);

        var loops = ids.Select(id => RunWorkerAsync(id, settings, stoppingToken))
            .Append(EveryAsync(settings.HeartbeatTtl / 3, () => Task.WhenAll(ids.Select(id => queue.HeartbeatAsync(id, settings.HeartbeatTtl))), "heartbeat", stoppingToken))
            .Append(EveryAsync(settings.HeartbeatTtl / 2, () => ReapAsync(settings), "reaper", stoppingToken))
            .Append(EveryAsync(TimeSpan.FromSeconds(5), async () => telemetry.QueueLengths(await queue.LengthsAsync()), "queue lengths", stoppingToken));
        await Task.WhenAll(loops);
    }

    private async Task RunWorkerAsync(string workerId, WorkerOptions settings, CancellationToken stoppingToken)
    {
        var commentsFirst = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                commentsFirst = !commentsFirst; // alternate, so neither kind starves
                if (await worker.RunOnceAsync(workerId, commentsFirst, stoppingToken) == 0)
                {
                    await Task.Delay(settings.IdleDelay, time, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return; // the batch stays in the processing list and is re-delivered
            }
            catch (Exception error)
            {
                logger.LogError(error, "Worker {Worker} failed a batch; it stays in the worker's processing list and is taken again next", workerId);
                await Task.Delay(settings.MinBackoff * 5, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task ReapAsync(WorkerOptions settings)
    {
        var returned = await queue.ReapAsync(settings.MaxAttempts, settings.HeartbeatTtl);
        if (returned > 0)
        {
            logger.LogWarning("Re-delivered {Count} items of workers that stopped answering", returned);
        }
    }

    private async Task EveryAsync(TimeSpan period, Func<Task> action, string name, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(period, time);
        do
        {
            try
            {
                await action();
            }
            catch (Exception error) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("The {Loop} loop failed: {Error}", name, error.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).AsTask().ContinueWith(t => t.IsCompletedSuccessfully && t.Result, TaskScheduler.Default));
    }
}
