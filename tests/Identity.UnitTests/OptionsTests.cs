using Identity.Model;
using Microsoft.Extensions.Options;

namespace Identity.UnitTests;

public sealed class OptionsTests
{
    private static readonly (string, string) AdminPassword = ("Identity:Admin:Password", "Admin-password-1");

    [Fact]
    public void Defaults_are_short_access_tokens_and_database_keys()
    {
        var server = ServiceConfiguration.Resolve<TokenServerOptions>(AdminPassword);
        var keys = ServiceConfiguration.Resolve<KeyOptions>(AdminPassword);

        Assert.Equal(TimeSpan.FromMinutes(15), server.AccessTokenLifetime);
        Assert.Equal(PlatformScopes.ApiAudience, server.Audience);
        Assert.Null(server.IssuerUri);
        Assert.False(keys.UsesFiles);
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("ftp://identity")]
    [InlineData("http://identity/?x=1")]
    public void A_bad_issuer_fails_at_start(string issuer)
    {
        var error = Assert.Throws<OptionsValidationException>(() =>
            ServiceConfiguration.Resolve<TokenServerOptions>(AdminPassword, ("Identity:Issuer", issuer)));

        Assert.Contains("Identity:Issuer", error.Message);
    }

    [Fact]
    public void Key_files_need_both_uses()
    {
        var error = Assert.Throws<OptionsValidationException>(() =>
            ServiceConfiguration.Resolve<KeyOptions>(AdminPassword, ("Identity:Keys:SigningCertificates:0:Path", "/keys/signing.pem")));

        Assert.Contains("both SigningCertificates and EncryptionCertificates", error.Message);
    }

    [Fact]
    public void Lockout_and_rate_limit_settings_bind_and_are_checked()
    {
        var lockout = ServiceConfiguration.Resolve<LockoutSettings>(AdminPassword, ("Identity:Lockout:MaxFailedAttempts", "3"));
        Assert.Equal(3, lockout.MaxFailedAttempts);

        Assert.Throws<OptionsValidationException>(() =>
            ServiceConfiguration.Resolve<TokenRateLimitOptions>(AdminPassword, ("Identity:RateLimit:PermitLimit", "0")));
    }

    [Fact]
    public void Lockout_settings_reach_the_sign_in_throttle_and_administrators_can_still_lock_accounts()
    {
        (string, string)[] settings = [AdminPassword, ("Identity:Lockout:MaxFailedAttempts", "7"), ("Identity:Lockout:Duration", "00:02:00")];
        var throttle = ServiceConfiguration.Service<Identity.Services.SignInThrottle>(settings);
        var identity = ServiceConfiguration.Resolve<Microsoft.AspNetCore.Identity.IdentityOptions>(settings);

        Assert.All(Enumerable.Range(0, 6), _ => Assert.False(throttle.Failed("admin", "203.0.113.7")));
        Assert.True(throttle.Failed("admin", "203.0.113.7"));
        Assert.True(throttle.IsLockedOut("admin", "203.0.113.7"));
        Assert.Equal(TimeSpan.FromMinutes(2), ServiceConfiguration.Resolve<Identity.Model.LockoutSettings>(settings).Duration);
        Assert.True(identity.Lockout.AllowedForNewUsers);
    }
}
