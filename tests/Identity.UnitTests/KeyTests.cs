using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Identity.Infrastructure.Keys;
using Identity.Model;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;

namespace Identity.UnitTests;

public sealed class KeyRotationPlanTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan RenewBefore = TimeSpan.FromDays(30);

    private static StoredKeyInfo Key(int notBeforeDays, int notAfterDays) =>
        new(Guid.NewGuid(), KeyUse.Signing, Now.AddDays(notBeforeDays), Now.AddDays(notAfterDays));

    [Fact]
    public void The_first_start_needs_a_key()
    {
        Assert.True(KeyRotationPlan.NeedsNewKey([], Now, RenewBefore));
    }

    [Fact]
    public void A_key_far_from_expiry_is_kept_without_a_successor()
    {
        Assert.False(KeyRotationPlan.NeedsNewKey([Key(-10, 170)], Now, RenewBefore));
    }

    [Fact]
    public void A_key_within_the_renewal_window_gets_a_successor()
    {
        Assert.True(KeyRotationPlan.NeedsNewKey([Key(-160, 20)], Now, RenewBefore));
        Assert.False(KeyRotationPlan.NeedsNewKey([Key(-160, 20), Key(-1, 179)], Now, RenewBefore));
    }

    [Fact]
    public void Expired_or_not_yet_valid_keys_do_not_count_as_current()
    {
        Assert.True(KeyRotationPlan.NeedsNewKey([Key(-200, -1)], Now, RenewBefore));
        Assert.True(KeyRotationPlan.NeedsNewKey([Key(1, 200)], Now, RenewBefore));
    }

    [Fact]
    public void Expired_keys_stay_loaded_for_the_retention_then_drop_newest_first()
    {
        var current = Key(-1, 179);
        var recentlyExpired = Key(-181, -1);
        var longExpired = Key(-400, -20);

        var loaded = KeyRotationPlan.ToLoad([longExpired, recentlyExpired, current], Now, TimeSpan.FromDays(14));

        Assert.Equal([current, recentlyExpired], loaded);
    }

    [Fact]
    public void A_new_key_starts_a_little_early_and_lasts_its_lifetime()
    {
        var (notBefore, notAfter) = KeyRotationPlan.NewValidity(Now, TimeSpan.FromDays(180));

        Assert.True(notBefore < Now && notBefore > Now.AddHours(-1));
        Assert.Equal(Now.AddDays(180), notAfter);
    }
}

public sealed class ServerCertificatesTests
{
    [Theory]
    [InlineData(KeyUse.Signing, X509KeyUsageFlags.DigitalSignature)]
    [InlineData(KeyUse.Encryption, X509KeyUsageFlags.KeyEncipherment)]
    public void Generated_certificates_round_trip_through_pkcs12_with_their_private_key(KeyUse use, X509KeyUsageFlags usage)
    {
        var notBefore = DateTimeOffset.UtcNow.AddMinutes(-5);
        using var generated = ServerCertificates.Generate(use, notBefore, notBefore.AddDays(30));

        using var restored = ServerCertificates.FromPkcs12(ServerCertificates.ToPkcs12(generated));

        Assert.Equal(generated.Thumbprint, restored.Thumbprint);
        Assert.True(restored.HasPrivateKey);
        Assert.Equal(usage, restored.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages);
        using var rsa = restored.GetRSAPrivateKey()!;
        Assert.Equal(2048, rsa.KeySize);
    }

    [Fact]
    public void Configured_pem_and_pfx_files_load_and_a_file_without_key_is_refused()
    {
        var folder = Directory.CreateTempSubdirectory("identity-keys-");
        try
        {
            using var certificate = ServerCertificates.Generate(KeyUse.Signing, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(30));
            using var rsa = certificate.GetRSAPrivateKey()!;
            var pem = Path.Combine(folder.FullName, "signing.pem");
            File.WriteAllText(pem, certificate.ExportCertificatePem() + "\n" + rsa.ExportPkcs8PrivateKeyPem());
            var certOnly = Path.Combine(folder.FullName, "public.crt");
            File.WriteAllText(certOnly, certificate.ExportCertificatePem());
            var pfx = Path.Combine(folder.FullName, "signing.pfx");
            File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pkcs12, "pfx-password"));

            using var fromPem = ServerCertificates.Load(new CertificateFile { Path = pem });
            using var fromPfx = ServerCertificates.Load(new CertificateFile { Path = pfx, Password = "pfx-password" });

            Assert.Equal(certificate.Thumbprint, fromPem.Thumbprint);
            Assert.Equal(certificate.Thumbprint, fromPfx.Thumbprint);
            Assert.ThrowsAny<Exception>(() => ServerCertificates.Load(new CertificateFile { Path = certOnly }));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_key_ring_hands_openiddict_signing_and_encryption_credentials()
    {
        var ring = new ServerKeyRing();
        var now = DateTimeOffset.UtcNow;
        using var signing = ServerCertificates.Generate(KeyUse.Signing, now.AddMinutes(-5), now.AddDays(1));
        using var encryption = ServerCertificates.Generate(KeyUse.Encryption, now.AddMinutes(-5), now.AddDays(1));
        var options = new OpenIddictServerOptions();

        Assert.Throws<InvalidOperationException>(() => new ServerKeyRing.ConfigureServer(ring).Configure(options));
        ring.Load([signing], [encryption]);
        new ServerKeyRing.ConfigureServer(ring).Configure(options);

        Assert.Equal(SecurityAlgorithms.RsaSha256, Assert.Single(options.SigningCredentials).Algorithm);
        Assert.Equal(SecurityAlgorithms.RsaOAEP, Assert.Single(options.EncryptionCredentials).Alg);
        Assert.Throws<InvalidOperationException>(() => ring.Load([], [encryption]));
    }
}
