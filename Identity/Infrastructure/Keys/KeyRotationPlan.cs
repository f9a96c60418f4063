namespace Identity.Infrastructure.Keys;

/// <summary>What is known about a stored key without opening it.</summary>
public sealed record StoredKeyInfo(Guid Id, KeyUse Use, DateTimeOffset NotBefore, DateTimeOffset NotAfter);

/// <summary>
/// The database key mode's rules, apart from any I/O: which stored certificates still matter and when a
/// new one is due.
/// </summary>
public static class KeyRotationPlan
{
    /// <summary>
    /// A new certificate is due when none is valid now, or the newest one expires within
    /// <paramref name="renewBefore"/>.
    /// </summary>
    public static bool NeedsNewKey(IEnumerable<StoredKeyInfo> keys, DateTimeOffset now, TimeSpan renewBefore)
    {
        var valid = keys.Where(k => k.NotBefore <= now && now < k.NotAfter).ToList();
        return valid.Count == 0 || valid.Max(k => k.NotAfter) - renewBefore <= now;
    }

    /// <summary>
    /// Certificates to load: every one until <paramref name="retention"/> after its expiry, because tokens
    /// it protected (a refresh token lives longest) are still being presented that long.
    /// </summary>
    public static IReadOnlyList<StoredKeyInfo> ToLoad(IEnumerable<StoredKeyInfo> keys, DateTimeOffset now, TimeSpan retention) =>
        [.. keys.Where(k => k.NotAfter + retention > now).OrderByDescending(k => k.NotAfter)];

    /// <summary>Validity of a certificate generated now; starts a little early to absorb clock skew between replicas.</summary>
    public static (DateTimeOffset NotBefore, DateTimeOffset NotAfter) NewValidity(DateTimeOffset now, TimeSpan lifetime) =>
        (now - TimeSpan.FromMinutes(5), now + lifetime);
}
