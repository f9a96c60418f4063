using Microsoft.Extensions.Caching.Memory;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Infrastructure;

/// <summary>
/// A token handler that remembers the access tokens another handler found valid, so a client calling again
/// with the same token skips the signature check and claim parsing (measured here: about half of the
/// Gateway's work on a cached read). A token is remembered until it expires or for at most
/// <see cref="AuthOptions.ValidatedTokenCacheDuration"/>, whichever is sooner, and only while it validated:
/// refusals are never cached, so a bad token is checked (and refused) every time. Each caller gets its own
/// copy of the claims, never the cached identity itself.
/// </summary>
/// <remarks>
/// What this gives up is the same as any JWT bearer check without introspection: a token revoked at Identity
/// stays usable until it expires; here also a token signed with a key Identity has withdrawn, for at most
/// the cache duration.
/// </remarks>
public sealed class ValidatedTokenCache : TokenHandler, IDisposable
{
    private readonly TokenHandler _inner;
    private readonly TimeProvider _time;
    private readonly TimeSpan _maxAge;
    private readonly MemoryCache _validated;

    public ValidatedTokenCache(TokenHandler inner, TimeProvider time, int size, TimeSpan maxAge)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        _inner = inner;
        _time = time;
        _maxAge = maxAge;
        _validated = new MemoryCache(new MemoryCacheOptions { SizeLimit = size, Clock = new SystemClockAdapter(time) });
    }

    public override int MaximumTokenSizeInBytes
    {
        get => _inner.MaximumTokenSizeInBytes;
        set => _inner.MaximumTokenSizeInBytes = value;
    }

    public override SecurityToken ReadToken(string token) => _inner.ReadToken(token);

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var now = _time.GetUtcNow();
        if (_validated.TryGetValue(token, out Validated? remembered) && remembered!.Until > now)
        {
            return remembered.Copy();
        }

        var result = await _inner.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid && result.SecurityToken is { ValidTo: var validTo } && validTo > now.UtcDateTime)
        {
            var until = Min(new DateTimeOffset(validTo, TimeSpan.Zero), now + _maxAge);
            _validated.Set(token, Validated.From(result, until), new MemoryCacheEntryOptions { Size = 1, AbsoluteExpiration = until });
        }

        return result;
    }

    public override Task<TokenValidationResult> ValidateTokenAsync(SecurityToken token, TokenValidationParameters validationParameters) =>
        _inner.ValidateTokenAsync(token, validationParameters);

    public void Dispose() => _validated.Dispose();

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    /// <summary>What a validation found, with claims of its own that no request ever holds.</summary>
    private sealed record Validated(SecurityToken Token, System.Security.Claims.ClaimsIdentity Identity, string Issuer, string TokenType,
        DateTimeOffset Until)
    {
        public static Validated From(TokenValidationResult result, DateTimeOffset until) =>
            new(result.SecurityToken, result.ClaimsIdentity.Clone(), result.Issuer, result.TokenType, until);

        /// <summary>A result of its own for one request: the same token, a fresh copy of its claims.</summary>
        public TokenValidationResult Copy() => new()
        {
            IsValid = true,
            SecurityToken = Token,
            ClaimsIdentity = Identity.Clone(),
            Issuer = Issuer,
            TokenType = TokenType,
        };
    }

    /// <summary>Lets the cache expire entries by the same clock the handler compares with.</summary>
    private sealed class SystemClockAdapter(TimeProvider time) : Microsoft.Extensions.Internal.ISystemClock
    {
        public DateTimeOffset UtcNow => time.GetUtcNow();
    }
}
