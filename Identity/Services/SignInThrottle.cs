using Identity.Model;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Identity.Services;

/// <summary>
/// Locks an account against one client address after <see cref="LockoutSettings.MaxFailedAttempts"/> wrong passwords
/// in a row, for <see cref="LockoutSettings.Duration"/>. Keyed by account and address, not by account alone: an
/// account-wide lockout let anyone lock out any user (the admin included) with five wrong passwords, while this
/// one stops a guesser at their address and leaves the user signing in from theirs. Guessing from many addresses
/// is slowed by the per-address rate limit. Counts live in this replica's memory: with N replicas a guesser gets
/// at most N times the attempts, and a restart forgets them.
/// </summary>
public sealed class SignInThrottle(IMemoryCache cache, IOptions<LockoutSettings> settings, TimeProvider time)
{
    private sealed class Failures
    {
        public int Count;
        public DateTimeOffset? LockedUntil;
    }

    public bool IsLockedOut(string userId, string address) =>
        cache.TryGetValue(Key(userId, address), out Failures? failures) && failures!.LockedUntil > time.GetUtcNow();

    /// <summary>Counts a wrong password; returns whether the pair is locked now.</summary>
    public bool Failed(string userId, string address)
    {
        var lockout = settings.Value;
        var failures = cache.GetOrCreate(Key(userId, address), entry =>
        {
            entry.SlidingExpiration = lockout.Duration;
            return new Failures();
        })!;
        lock (failures)
        {
            if (++failures.Count < lockout.MaxFailedAttempts)
            {
                return false;
            }

            failures.LockedUntil = time.GetUtcNow() + lockout.Duration;
            failures.Count = 0;
            return true;
        }
    }

    public void Succeeded(string userId, string address) => cache.Remove(Key(userId, address));

    private static string Key(string userId, string address) => $"sign-in:{userId}:{address}";
}
