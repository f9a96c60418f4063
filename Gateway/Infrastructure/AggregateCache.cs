using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Infrastructure;

/// <summary>
/// Caches aggregate reads in Redis for <see cref="CacheOptions.AggregateTtl"/>. Keys embed the cache
/// versions the Collector's workers bump when new scores land (globally and per subreddit), so fresh
/// scores invalidate exactly the affected entries at once, without scanning keys. The same versions make
/// the ETag. A Redis outage degrades to uncached reads, never to errors.
/// </summary>
public sealed class AggregateCache(IConnectionMultiplexer redis, IOptions<CacheOptions> options, ILogger<AggregateCache> logger)
{
    // The Collector's keys (Collector/Queues/QueueKeys.cs): part of the platform's Redis surface.
    private const string GlobalVersionKey = "reddit:cache:version";

    private static string SubredditVersionKey(string subreddit) => $"reddit:cache:version:{subreddit.ToLowerInvariant()}";

    public sealed record Cached<T>(T Value, string ETag, bool Hit);

    /// <param name="scope">The subreddit the value depends on, or null when it depends on all of them.</param>
    public async Task<Cached<T>> GetOrCreateAsync<T>(string name, string parameters, string? scope, Func<Task<T>> create)
    {
        string? key = null;
        try
        {
            var db = redis.GetDatabase();
            var version = await db.StringGetAsync(scope is null ? GlobalVersionKey : SubredditVersionKey(scope));
            key = $"gateway:cache:{name}:{Hash(parameters)}:v{(version.IsNull ? "0" : version.ToString())}";
            var cached = await db.StringGetAsync(key);
            if (!cached.IsNull)
            {
                return new Cached<T>(JsonSerializer.Deserialize<T>((string)cached!)!, ETagOf(key), Hit: true);
            }
        }
        catch (RedisException error)
        {
            logger.LogWarning("Aggregate cache unavailable ({Error}); reading from PostgreSQL", error.Message);
        }

        var value = await create();
        if (key is not null)
        {
            try
            {
                await redis.GetDatabase().StringSetAsync(key, JsonSerializer.Serialize(value), options.Value.AggregateTtl);
            }
            catch (RedisException error)
            {
                logger.LogWarning("Could not cache {Key}: {Error}", key, error.Message);
            }
        }

        return new Cached<T>(value, key is null ? ETagOf(Guid.NewGuid().ToString()) : ETagOf(key), Hit: false);
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];

    private static string ETagOf(string key) => $"W/\"{Hash(key)}\"";
}

/// <summary>Section <c>Gateway:Cache</c>.</summary>
public sealed class CacheOptions
{
    public const string SectionName = "Gateway:Cache";

    /// <summary>How long an aggregate may be served from the cache when no new scores have landed.</summary>
    public TimeSpan AggregateTtl { get; set; } = TimeSpan.FromSeconds(60);
}
