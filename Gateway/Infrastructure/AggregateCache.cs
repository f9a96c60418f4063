using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Infrastructure;

/// <summary>
/// Caches aggregate reads in Redis for <see cref="CacheOptions.AggregateTtl"/>. Keys embed the cache
/// versions the Collector's workers bump when new scores land (globally and per subreddit), so fresh
/// scores invalidate exactly the affected entries at once, without scanning keys. The same versions make
/// the ETag. A Redis outage degrades to uncached reads, never to errors.
/// A small in-process tier in front of Redis keeps hot reads off the network: each replica re-reads the
/// versions at most every <see cref="CacheOptions.VersionCheckInterval"/>, so new scores show within that.
/// An aggregate is cached as the JSON the API answers with (serialized once with the API's JSON options),
/// so a hit is written out as it is: no serializing per request, no deserializing from Redis.
/// Concurrent misses of one key share one query (<see cref="SingleFlight{T}"/>).
/// </summary>
public sealed class AggregateCache(
    IConnectionMultiplexer redis, IMemoryCache local, IOptions<CacheOptions> options, IOptions<JsonOptions> json, ILogger<AggregateCache> logger)
{
    /// <summary>An aggregate <typeparamref name="T"/> as UTF-8 JSON, its ETag, and whether it came from the cache.</summary>
    public sealed record Cached<T>(byte[] Json, string ETag, bool Hit);

    private readonly SingleFlight<byte[]> _misses = new();

    /// <param name="scope">The subreddit the value depends on, or null when it depends on all of them.</param>
    /// <param name="create">
    /// Makes the value on a miss. Its token is not the caller's: callers who miss together share one making, and
    /// one of them leaving must not fail the rest (the query is bounded by its command timeout).
    /// </param>
    /// <param name="cancellationToken">Stops this caller's wait.</param>
    public async Task<Cached<T>> GetOrCreateAsync<T>(
        string name, string parameters, string? scope, Func<CancellationToken, Task<T>> create, CancellationToken cancellationToken)
    {
        string? key = null;
        if (!options.Value.Enabled)
        {
            return new Cached<T>(await SerializeAsync(create, cancellationToken), ETagOf(Guid.NewGuid().ToString()), Hit: false);
        }

        try
        {
            var db = redis.GetDatabase();
            var versionKey = scope is null ? RedisKeys.CacheVersion : RedisKeys.SubredditCacheVersion(scope);
            var version = await local.GetOrCreateAsync($"version:{versionKey}", async entry =>
            {
                entry.AbsoluteExpirationRelativeToNow = options.Value.VersionCheckInterval;
                var value = await db.StringGetAsync(versionKey);
                return value.IsNull ? "0" : value.ToString();
            });
            key = $"gateway:cache:{name}:{Hash(parameters)}:v{version}";
            if (local.TryGetValue(key, out byte[]? hot) && hot is not null)
            {
                return new Cached<T>(hot, ETagOf(key), Hit: true);
            }

            var cached = await db.StringGetAsync(key);
            if (!cached.IsNull)
            {
                var fromRedis = (byte[])cached!;
                local.Set(key, fromRedis, options.Value.LocalTtl);
                return new Cached<T>(fromRedis, ETagOf(key), Hit: true);
            }
        }
        catch (RedisException error)
        {
            logger.LogWarning("Aggregate cache unavailable ({Error}); reading from PostgreSQL", error.Message);
        }

        if (key is null)
        {
            return new Cached<T>(await SerializeAsync(create, cancellationToken), ETagOf(Guid.NewGuid().ToString()), Hit: false);
        }

        return new Cached<T>(await _misses.RunAsync(key, () => CreateAndStoreAsync(key, create), cancellationToken), ETagOf(key), Hit: false);
    }

    private async Task<byte[]> CreateAndStoreAsync<T>(string key, Func<CancellationToken, Task<T>> create)
    {
        var created = await SerializeAsync(create, CancellationToken.None);
        try
        {
            await redis.GetDatabase().StringSetAsync(key, created, options.Value.AggregateTtl);
            local.Set(key, created, options.Value.LocalTtl);
        }
        catch (RedisException error)
        {
            logger.LogWarning("Could not cache {Key}: {Error}", key, error.Message);
        }

        return created;
    }

    private async Task<byte[]> SerializeAsync<T>(Func<CancellationToken, Task<T>> create, CancellationToken cancellationToken) =>
        JsonSerializer.SerializeToUtf8Bytes(await create(cancellationToken), json.Value.SerializerOptions);

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];

    private static string ETagOf(string key) => $"W/\"{Hash(key)}\"";
}

/// <summary>Section <c>Gateway:Cache</c>.</summary>
public sealed class CacheOptions
{
    public const string SectionName = "Gateway:Cache";

    /// <summary>
    /// Off, every aggregate read goes to PostgreSQL's rollups: for measuring them (the <c>reads</c> benchmark) or
    /// ruling the cache out while troubleshooting.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long an aggregate may be served from the cache when no new scores have landed.</summary>
    public TimeSpan AggregateTtl { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a replica keeps an aggregate in its own memory (under the same versioned key).</summary>
    public TimeSpan LocalTtl { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often a replica re-reads the cache versions from Redis: the delay before new scores show.</summary>
    public TimeSpan VersionCheckInterval { get; set; } = TimeSpan.FromMilliseconds(250);
}
