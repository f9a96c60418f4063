using Identity.Model;
using Identity.Services;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Identity.UnitTests;

public sealed class SignInThrottleTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-07T12:00:00Z"));
    private readonly SignInThrottle _throttle;

    public SignInThrottleTests() =>
        _throttle = new SignInThrottle(new MemoryCache(new MemoryCacheOptions()),
            Options.Create(new LockoutSettings { MaxFailedAttempts = 3, Duration = TimeSpan.FromMinutes(15) }), _time);

    [Fact]
    public void Wrong_passwords_lock_the_account_against_their_address_only()
    {
        Assert.False(_throttle.Failed("admin", "203.0.113.7"));
        Assert.False(_throttle.Failed("admin", "203.0.113.7"));
        Assert.True(_throttle.Failed("admin", "203.0.113.7"));

        Assert.True(_throttle.IsLockedOut("admin", "203.0.113.7"));
        Assert.False(_throttle.IsLockedOut("admin", "198.51.100.4")); // the real user, elsewhere
        Assert.False(_throttle.IsLockedOut("alice", "203.0.113.7"));
    }

    [Fact]
    public void A_lockout_ends_after_its_duration_and_a_success_forgets_the_failures()
    {
        for (var i = 0; i < 3; i++)
        {
            _throttle.Failed("admin", "203.0.113.7");
        }

        _time.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));
        Assert.False(_throttle.IsLockedOut("admin", "203.0.113.7"));

        _throttle.Failed("alice", "198.51.100.4");
        _throttle.Failed("alice", "198.51.100.4");
        _throttle.Succeeded("alice", "198.51.100.4");
        Assert.False(_throttle.Failed("alice", "198.51.100.4")); // counting starts again
    }
}
