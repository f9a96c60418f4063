using Collector.Storage;

namespace Collector.Ingestion;

/// <summary>
/// A pass of live-collection work run once the schema is in place and then again <see cref="Interval"/> after each
/// pass ends. A failing pass (Reddit, Redis or PostgreSQL away) is logged and tried again next time: what it did
/// not finish is still due then.
/// </summary>
public abstract class RecurringPassService(MigrationService migrations, TimeProvider time, ILogger logger) : BackgroundService
{
    protected abstract TimeSpan Interval { get; }

    /// <summary>What the pass does, for the log (<c>"Refresh pass"</c>).</summary>
    protected abstract string PassName { get; }

    protected abstract Task RunPassAsync(CancellationToken cancellationToken);

    /// <summary>Says, once the schema is in place, what the service is about to do.</summary>
    protected abstract void LogStart();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await migrations.Migrated.WaitAsync(stoppingToken);
        LogStart();
        while (true)
        {
            try
            {
                await RunPassAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "{Pass} failed; trying again in {Interval}", PassName, Interval);
            }

            await Task.Delay(Interval, time, stoppingToken);
        }
    }
}
