using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Collector.Storage;

/// <summary>Section <c>Collector:Storage</c>: the item tables' monthly partitions.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Collector:Storage";

    /// <summary>Months of items kept; older month partitions are dropped whole (their rollups stay). 0 keeps everything.</summary>
    [Range(0, 1200)]
    public int RetentionMonths { get; set; }

    /// <summary>Months after the current one whose partitions exist before any item needs them.</summary>
    [Range(1, 24)]
    public int MonthsAhead { get; set; } = 3;

    /// <summary>How often partitions are created ahead and retention applied.</summary>
    public TimeSpan MaintenanceInterval { get; set; } = TimeSpan.FromHours(6);

    /// <summary>How often stored items' pending contributions are folded into the rollups (reads add what is pending).</summary>
    public TimeSpan RollupFoldInterval { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// The month partitions of <c>reddit_posts</c> and <c>reddit_comments</c> (migration 0003): created ahead for the
/// months around now, created on demand for any other month a batch touches (a backfill of 2009 dumps), and dropped
/// by retention.
/// </summary>
public sealed class ItemPartitions(NpgsqlDataSource dataSource, IOptions<StorageOptions> options, TimeProvider time, ILogger<ItemPartitions> logger)
{
    /// <summary>Months known to have their partitions, so a batch costs a lookup, not a round trip.</summary>
    private readonly ConcurrentDictionary<DateTime, bool> _known = new();

    /// <summary>Makes sure the partitions of every month among <paramref name="instants"/> exist.</summary>
    public async Task EnsureAsync(IEnumerable<DateTimeOffset> instants, CancellationToken ct)
    {
        foreach (var month in instants.Select(Month).Distinct().Where(m => !_known.ContainsKey(m)))
        {
            await EnsureMonthAsync(month, ct);
        }
    }

    /// <summary>Partitions from last month to <see cref="StorageOptions.MonthsAhead"/> ahead, then retention; returns what retention dropped.</summary>
    public async Task<IReadOnlyList<string>> MaintainAsync(CancellationToken ct)
    {
        var now = Month(time.GetUtcNow());
        for (var ahead = -1; ahead <= options.Value.MonthsAhead; ahead++)
        {
            await EnsureMonthAsync(now.AddMonths(ahead), ct);
        }

        return options.Value.RetentionMonths > 0 ? await DropBeforeAsync(now.AddMonths(1 - options.Value.RetentionMonths), ct) : [];
    }

    /// <summary>Drops the month partitions before <paramref name="cutoff"/>'s month; returns their names.</summary>
    public async Task<IReadOnlyList<string>> DropBeforeAsync(DateTime cutoff, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("SELECT reddit_items_drop_partitions_before(@cutoff)");
        command.Parameters.AddWithValue("cutoff", DateTime.SpecifyKind(cutoff, DateTimeKind.Utc));
        await using var reader = await command.ExecuteReaderAsync(ct);
        var dropped = new List<string>();
        while (await reader.ReadAsync(ct))
        {
            dropped.Add(reader.GetString(0));
        }

        foreach (var month in _known.Keys.Where(m => m < Month(cutoff)))
        {
            _known.TryRemove(month, out _);
        }

        if (dropped.Count > 0)
        {
            logger.LogInformation("Retention dropped {Count} item partitions before {Cutoff:yyyy-MM}: {Partitions}", dropped.Count, cutoff, string.Join(", ", dropped));
        }

        return dropped;
    }

    private async Task EnsureMonthAsync(DateTime month, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("SELECT reddit_items_ensure_partition(@month)");
        command.Parameters.AddWithValue("month", DateTime.SpecifyKind(month, DateTimeKind.Utc));
        await command.ExecuteNonQueryAsync(ct);
        _known[month] = true;
    }

    private static DateTime Month(DateTimeOffset instant) => new(instant.UtcDateTime.Year, instant.UtcDateTime.Month, 1, 0, 0, 0, DateTimeKind.Utc);

    private static DateTime Month(DateTime instant) => new(instant.Year, instant.Month, 1, 0, 0, 0, DateTimeKind.Utc);
}

/// <summary>Runs <see cref="ItemPartitions.MaintainAsync"/> once the schema is current, then every <see cref="StorageOptions.MaintenanceInterval"/>.</summary>
public sealed class PartitionMaintenanceService(
    ItemPartitions partitions, MigrationService migration, IOptions<StorageOptions> options, TimeProvider time, ILogger<PartitionMaintenanceService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await migration.Migrated.WaitAsync(stoppingToken);
        using var timer = new PeriodicTimer(options.Value.MaintenanceInterval, time);
        do
        {
            try
            {
                await partitions.MaintainAsync(stoppingToken);
            }
            catch (NpgsqlException error) when (!stoppingToken.IsCancellationRequested)
            {
                // Writers create what they need themselves; the next round catches up.
                logger.LogWarning("Partition maintenance failed: {Error}", error.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
