using Microsoft.Extensions.Options;
using Npgsql;

namespace Collector.Storage;

/// <summary>
/// Folds the contributions the storage triggers append (<c>sentiment_rollup_pending</c>, <c>keyword_rollup_pending</c>)
/// into the rollups every <see cref="StorageOptions.RollupFoldInterval"/>: writers only append, so concurrent workers
/// never queue on a busy hour's rollup row, and this one folder upserts each touched bucket once per round.
/// Replicas fold in turn (<c>rollup_fold()</c> takes an advisory lock and returns at once when another holds it).
/// </summary>
public sealed class RollupFolder(
    NpgsqlDataSource dataSource, MigrationService migration, IOptions<StorageOptions> options, TimeProvider time, ILogger<RollupFolder> logger)
    : BackgroundService
{
    public async Task<long> FoldAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("SELECT rollup_fold()");
        var folded = (long)(await command.ExecuteScalarAsync(ct))!;
        if (folded > 0)
        {
            // Folding deletes what it moved: without a vacuum right after, a backfill leaves millions of dead rows
            // that every read's scan of the pending tables wades through (at 10 M items the overview's p50 went
            // from 21 to 35 ms) until autovacuum's next round. Vacuum blocks neither writers nor readers, and gives
            // the emptied pages back when nobody holds the table.
            await using var vacuum = dataSource.CreateCommand("VACUUM sentiment_rollup_pending, keyword_rollup_pending");
            vacuum.CommandTimeout = 0;
            await vacuum.ExecuteNonQueryAsync(ct);
        }

        return folded;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await migration.Migrated.WaitAsync(stoppingToken);
        using var timer = new PeriodicTimer(options.Value.RollupFoldInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await FoldAsync(stoppingToken);
            }
            catch (NpgsqlException error) when (!stoppingToken.IsCancellationRequested)
            {
                // Nothing is lost: the contributions stay pending, and reads count them meanwhile.
                logger.LogWarning("Folding the rollups failed: {Error}", error.Message);
            }
        }
    }
}
