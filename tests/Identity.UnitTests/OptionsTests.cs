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
    public void Lockout_settings_reach_aspnet_core_identity()
    {
        var identity = ServiceConfiguration.Resolve<Microsoft.AspNetCore.Identity.IdentityOptions>(
            AdminPassword, ("Identity:Lockout:MaxFailedAttempts", "7"), ("Identity:Lockout:Duration", "00:02:00"));

        Assert.Equal(7, identity.Lockout.MaxFailedAccessAttempts);
        Assert.Equal(TimeSpan.FromMinutes(2), identity.Lockout.DefaultLockoutTimeSpan);
        Assert.True(identity.Lockout.AllowedForNewUsers);
    }
}
