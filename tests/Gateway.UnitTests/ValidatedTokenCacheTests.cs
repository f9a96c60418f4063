using Microsoft.Extensions.Time.Testing;
using System.Security.Claims;
using System.Security.Cryptography;
using Gateway.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.UnitTests;

public sealed class ValidatedTokenCacheTests : IDisposable
{
    private readonly RsaSecurityKey _key = new(RSA.Create(2048)) { KeyId = "test-key" };
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly CountingHandler _inner = new(new JsonWebTokenHandler { MapInboundClaims = false });
    private readonly ValidatedTokenCache _cache;

    public ValidatedTokenCacheTests() => _cache = new ValidatedTokenCache(_inner, _clock, size: 100, maxAge: TimeSpan.FromMinutes(5));

    private TokenValidationParameters Parameters => new()
    {
        ValidIssuer = "https://identity.test/",
        ValidAudience = "sentiment-api",
        IssuerSigningKey = _key,
    };

    private string Token(TimeSpan lifetime, SecurityKey? key = null) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = "https://identity.test/",
        Audience = "sentiment-api",
        Subject = new ClaimsIdentity([new Claim("sub", "user-1"), new Claim("scope", "sentiment.read")]),
        NotBefore = DateTime.UtcNow.AddMinutes(-1),
        Expires = DateTime.UtcNow + lifetime,
        SigningCredentials = new SigningCredentials(key ?? _key, SecurityAlgorithms.RsaSha256),
    });

    [Fact]
    public async Task A_valid_token_is_checked_once_and_then_remembered()
    {
        var token = Token(TimeSpan.FromHours(1));

        var results = new List<TokenValidationResult>();
        for (var i = 0; i < 3; i++)
        {
            results.Add(await _cache.ValidateTokenAsync(token, Parameters));
        }

        Assert.All(results, r => Assert.True(r.IsValid));
        Assert.All(results, r => Assert.Equal("user-1", r.ClaimsIdentity.FindFirst("sub")?.Value));
        Assert.Equal(1, _inner.Validations);
    }

    [Fact]
    public async Task Every_caller_gets_claims_of_its_own()
    {
        var token = Token(TimeSpan.FromHours(1));
        var first = await _cache.ValidateTokenAsync(token, Parameters);
        first.ClaimsIdentity.AddClaim(new Claim("scope", "sentiment.admin"));

        var second = await _cache.ValidateTokenAsync(token, Parameters);
        second.ClaimsIdentity.AddClaim(new Claim("role", "added"));
        var third = await _cache.ValidateTokenAsync(token, Parameters);

        Assert.NotSame(second.ClaimsIdentity, third.ClaimsIdentity);
        Assert.DoesNotContain(third.ClaimsIdentity.FindAll("scope"), c => c.Value == "sentiment.admin");
        Assert.Null(third.ClaimsIdentity.FindFirst("role"));
    }

    [Fact]
    public async Task A_refused_token_is_checked_every_time()
    {
        var forged = Token(TimeSpan.FromHours(1), new RsaSecurityKey(RSA.Create(2048)) { KeyId = "test-key" });

        var first = await _cache.ValidateTokenAsync(forged, Parameters);
        var second = await _cache.ValidateTokenAsync(forged, Parameters);

        Assert.False(first.IsValid);
        Assert.False(second.IsValid);
        Assert.Equal(2, _inner.Validations);
    }

    [Fact]
    public async Task A_token_is_checked_again_after_the_cache_duration()
    {
        var token = Token(TimeSpan.FromHours(1));
        await _cache.ValidateTokenAsync(token, Parameters);

        _clock.Advance(TimeSpan.FromMinutes(4));
        await _cache.ValidateTokenAsync(token, Parameters);
        Assert.Equal(1, _inner.Validations);

        _clock.Advance(TimeSpan.FromMinutes(2));
        Assert.True((await _cache.ValidateTokenAsync(token, Parameters)).IsValid);
        Assert.Equal(2, _inner.Validations);
    }

    [Fact]
    public async Task A_token_is_never_taken_as_valid_past_its_expiry()
    {
        var token = Token(TimeSpan.FromMinutes(2));
        await _cache.ValidateTokenAsync(token, Parameters);

        _clock.Advance(TimeSpan.FromMinutes(3)); // within the cache duration, past the token's exp
        await _cache.ValidateTokenAsync(token, Parameters);

        Assert.Equal(2, _inner.Validations);
    }

    public void Dispose()
    {
        _cache.Dispose();
        ((RSA)_key.Rsa).Dispose();
    }

    /// <summary>The real JWT handler, counting the validations that reach it.</summary>
    private sealed class CountingHandler(TokenHandler inner) : TokenHandler
    {
        private int _validations;

        public int Validations => _validations;

        public override Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
        {
            Interlocked.Increment(ref _validations);
            return inner.ValidateTokenAsync(token, validationParameters);
        }
    }
}
