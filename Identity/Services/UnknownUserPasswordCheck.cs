using Microsoft.AspNetCore.Identity;

namespace Identity.Services;

/// <summary>
/// Spends on a user name that does not exist the same password-hash verification a real one costs (about 40 ms
/// of PBKDF2 here, against a few ms for the lookup alone), so the time of a refusal does not tell an attacker
/// which user names exist.
/// </summary>
public sealed class UnknownUserPasswordCheck(IPasswordHasher<IdentityUser> hasher)
{
    private static readonly IdentityUser Nobody = new("unknown-user");

    // One hash of a random password for the process, made with the configured hasher (its iteration count).
    private static string? s_hash;

    public void Spend(string password)
    {
        var hash = s_hash ??= hasher.HashPassword(Nobody, Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)));
        hasher.VerifyHashedPassword(Nobody, hash, password);
    }
}
