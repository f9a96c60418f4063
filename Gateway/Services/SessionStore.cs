using System.Security.Cryptography;
using System.Text.Json;
using StackExchange.Redis;

namespace Gateway.Services;

/// <summary>A signed-in web user's session: who, and the refresh token that keeps them signed in.</summary>
public sealed record WebSession(string Id, string Subject, string? Name, string RefreshToken, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);

/// <summary>
/// Web sessions in Redis under <c>session:{id}</c>, expiring with the refresh token they hold, so any Gateway
/// replica serves any session and a sign-out anywhere ends it everywhere.
/// </summary>
public sealed class SessionStore(IConnectionMultiplexer redis, TimeProvider time)
{
    public async Task<WebSession> CreateAsync(string subject, string? name, string refreshToken, TimeSpan lifetime)
    {
        var now = time.GetUtcNow();
        var session = new WebSession(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)), subject, name, refreshToken, now, now + lifetime);
        await redis.GetDatabase().StringSetAsync(RedisKeys.Session(session.Id), JsonSerializer.Serialize(session), lifetime);
        return session;
    }

    public async Task<WebSession?> GetAsync(string id)
    {
        var value = await redis.GetDatabase().StringGetAsync(RedisKeys.Session(id));
        return value.IsNull ? null : JsonSerializer.Deserialize<WebSession>((string)value!);
    }

    public async Task<WebSession> RenewAsync(WebSession session, string refreshToken, TimeSpan lifetime)
    {
        var renewed = session with { RefreshToken = refreshToken, ExpiresAt = time.GetUtcNow() + lifetime };
        await redis.GetDatabase().StringSetAsync(RedisKeys.Session(session.Id), JsonSerializer.Serialize(renewed), lifetime);
        return renewed;
    }

    public Task DeleteAsync(string id) => redis.GetDatabase().KeyDeleteAsync(RedisKeys.Session(id));
}
