using System.Security.Cryptography.X509Certificates;
using Identity.Infrastructure.Data;
using Identity.Model;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Identity.Infrastructure.Keys;

/// <summary>
/// Provides the server's certificates: from the configured files, or (database key mode) from PostgreSQL,
/// generating and storing them first when none is valid or the newest is about to expire. The caller holds
/// the store's advisory lock, so two replicas never generate at once.
/// </summary>
public sealed class ServerKeyStore(
    IdentityStoreDbContext db,
    IDataProtectionProvider dataProtection,
    IOptions<KeyOptions> keyOptions,
    IOptions<TokenServerOptions> serverOptions,
    TimeProvider time,
    ILogger<ServerKeyStore> logger)
{
    /// <summary>The Data Protection purpose of stored certificates; changing it makes them unreadable.</summary>
    public const string ProtectionPurpose = "RedditSentiment.Identity.ServerKeys.v1";

    private readonly IDataProtector _protector = dataProtection.CreateProtector(ProtectionPurpose);

    public async Task<(IReadOnlyList<X509Certificate2> Signing, IReadOnlyList<X509Certificate2> Encryption)> LoadAsync(CancellationToken cancellationToken)
    {
        var options = keyOptions.Value;
        if (options.UsesFiles)
        {
            logger.LogInformation("Using {Signing} signing and {Encryption} encryption certificates from files",
                options.SigningCertificates.Count, options.EncryptionCertificates.Count);
            return ([.. options.SigningCertificates.Select(ServerCertificates.Load)],
                [.. options.EncryptionCertificates.Select(ServerCertificates.Load)]);
        }

        return (await LoadStoredAsync(KeyUse.Signing, cancellationToken), await LoadStoredAsync(KeyUse.Encryption, cancellationToken));
    }

    private async Task<IReadOnlyList<X509Certificate2>> LoadStoredAsync(KeyUse use, CancellationToken cancellationToken)
    {
        var options = keyOptions.Value;
        var now = time.GetUtcNow();
        var stored = await db.ServerKeys.AsNoTracking().Where(k => k.Use == use).ToListAsync(cancellationToken);

        // Keep keys while tokens they protected can still come back: a refresh token outlives any other.
        var retained = KeyRotationPlan.ToLoad(stored.Select(Describe), now, serverOptions.Value.RefreshTokenLifetime).Select(k => k.Id).ToHashSet();
        var loaded = new List<(StoredKeyInfo Info, X509Certificate2 Certificate)>();
        foreach (var key in stored.Where(k => retained.Contains(k.Id)))
        {
            try
            {
                loaded.Add((Describe(key), ServerCertificates.FromPkcs12(_protector.Unprotect(key.ProtectedCertificate))));
            }
            catch (System.Security.Cryptography.CryptographicException error)
            {
                // A key ring that lost its keys (a wiped DataProtectionKeys table, another application name)
                // leaves the certificate unreadable: say which, and go on without it.
                logger.LogError(error, "Cannot unprotect the stored {Use} certificate {Thumbprint}; skipping it", key.Use, key.Thumbprint);
            }
        }

        if (KeyRotationPlan.NeedsNewKey(loaded.Select(l => l.Info), now, options.RenewBefore))
        {
            var (notBefore, notAfter) = KeyRotationPlan.NewValidity(now, options.Lifetime);
            var certificate = ServerCertificates.Generate(use, notBefore, notAfter);
            var key = new ServerKey
            {
                Id = Guid.CreateVersion7(now),
                Use = use,
                Thumbprint = certificate.Thumbprint,
                NotBefore = notBefore.ToUniversalTime(),
                NotAfter = notAfter.ToUniversalTime(),
                CreatedAt = now.ToUniversalTime(),
                ProtectedCertificate = _protector.Protect(ServerCertificates.ToPkcs12(certificate)),
            };
            db.ServerKeys.Add(key);
            await db.SaveChangesAsync(cancellationToken);
            loaded.Add((Describe(key), certificate));
            logger.LogInformation("Generated {Use} certificate {Thumbprint}, valid until {NotAfter:u}", use, key.Thumbprint, key.NotAfter);
        }

        var certificates = loaded.OrderByDescending(l => l.Info.NotAfter).Select(l => l.Certificate).ToList();
        logger.LogInformation("Loaded {Count} {Use} certificate(s): {Thumbprints}", certificates.Count, use,
            string.Join(", ", certificates.Select(c => $"{c.Thumbprint} (until {c.NotAfter.ToUniversalTime():u})")));
        return certificates;
    }

    private static StoredKeyInfo Describe(ServerKey key) => new(key.Id, key.Use, key.NotBefore, key.NotAfter);
}
