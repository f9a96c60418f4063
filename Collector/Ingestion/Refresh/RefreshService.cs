using Collector.Storage;
using Microsoft.Extensions.Options;

namespace Collector.Ingestion.Refresh;

/// <summary>Runs the <see cref="ItemRefresher"/> every <see cref="RefreshOptions.Interval"/> once the schema is in place.</summary>
public sealed class RefreshService(
    ItemRefresher refresher, MigrationService migrations, IOptions<RefreshOptions> options, TimeProvider time, ILogger<RefreshService> logger)
    : RecurringPassService(migrations, time, logger)
{
    protected override TimeSpan Interval => options.Value.Interval;

    protected override string PassName => "Refresh pass";

    protected override Task RunPassAsync(CancellationToken cancellationToken) => refresher.RunOnceAsync(cancellationToken);

    protected override void LogStart() =>
        logger.LogInformation("Refreshing items younger than {MaxAge} every {MinInterval} at most", options.Value.MaxAge, options.Value.MinInterval);
}
