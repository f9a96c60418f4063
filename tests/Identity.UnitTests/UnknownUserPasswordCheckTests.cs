using Identity.Services;
using Microsoft.AspNetCore.Identity;

namespace Identity.UnitTests;

public sealed class UnknownUserPasswordCheckTests
{
    private sealed class CountingHasher : IPasswordHasher<IdentityUser>
    {
        private readonly PasswordHasher<IdentityUser> _real = new();

        public int Hashed { get; private set; }

        public int Verified { get; private set; }

        public string HashPassword(IdentityUser user, string password)
        {
            Hashed++;
            return _real.HashPassword(user, password);
        }

        public PasswordVerificationResult VerifyHashedPassword(IdentityUser user, string hashedPassword, string providedPassword)
        {
            Verified++;
            return _real.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }

    [Fact]
    public void An_unknown_user_costs_one_real_verification_like_a_known_one_and_the_hash_is_made_once()
    {
        var hasher = new CountingHasher();
        var check = new UnknownUserPasswordCheck(hasher);

        check.Spend("guess-1");
        check.Spend("guess-2");
        new UnknownUserPasswordCheck(hasher).Spend("guess-3");

        Assert.Equal(3, hasher.Verified);
        Assert.InRange(hasher.Hashed, 0, 1); // once per process: another test may have made it already
    }
}
