using System.Security.Cryptography;
using System.Text.Json;
using StackExchange.Redis;

namespace Gateway.Services;

/// <summary>
/// A signed-in web user's session: who, and the tokens Identity issued them. The tokens never leave the Gateway
/// (backend for frontend): the browser holds only the session's id, in an <c>HttpOnly</c> cookie.
/// </summary>
public sealed record WebSession(
    string Id,
    string Subject,
    string? Name,
    string RefreshToken,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    string AccessToken = "",
    DateTimeOffset AccessTokenExpiresAt = default,
    string? Scope = null);

/// <summary>
/// Web sessions in Redis under <c>session:{id}</c>, expiring with the refresh token they hold, so any Gateway
/// replica serves any session and a sign-out anywhere ends it everywhere.
/// </summary>
public sealed class SessionStore(IConnectionMultiplexer redis, TimeProvider time)
{
    public async Task<WebSession> CreateAsync(string subject, string? name, Infrastructure.TokenResponse tokens, TimeSpan lifetime)
    {
        var now = time.GetUtcNow();
        var session = new WebSession(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)), subject, name, tokens.RefreshToken ?? "", now,
            now + lifetime, tokens.AccessToken, now.AddSeconds(tokens.ExpiresIn), tokens.Scope);
        await redis.GetDatabase().StringSetAsync(RedisKeys.Session(session.Id), JsonSerializer.Serialize(session), lifetime);
        return session;
    }

    public async Task<WebSession?> GetAsync(string id)
    {
        var value = await redis.GetDatabase().StringGetAsync(RedisKeys.Session(id));
        return value.IsNull ? null : JsonSerializer.Deserialize<WebSession>((string)value!);
    }

    /// <summary>Keeps the tokens of a refresh (Identity rotates the refresh token) and extends the session.</summary>
    public async Task<WebSession> RenewAsync(WebSession session, Infrastructure.TokenResponse tokens, TimeSpan lifetime)
    {
        var now = time.GetUtcNow();
        var renewed = session with
        {
            RefreshToken = tokens.RefreshToken ?? session.RefreshToken,
            AccessToken = tokens.AccessToken,
            AccessTokenExpiresAt = now.AddSeconds(tokens.ExpiresIn),
            Scope = tokens.Scope ?? session.Scope,
            ExpiresAt = now + lifetime,
        };
        await redis.GetDatabase().StringSetAsync(RedisKeys.Session(session.Id), JsonSerializer.Serialize(renewed), lifetime);
        return renewed;
    }

    public Task DeleteAsync(string id) => redis.GetDatabase().KeyDeleteAsync(RedisKeys.Session(id));
}
