using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;

namespace Identity.Infrastructure.Keys;

/// <summary>
/// The certificates this process signs and encrypts with, loaded once at start (before the server listens)
/// and handed to OpenIddict when its options are first built.
/// </summary>
public sealed class ServerKeyRing
{
    private IReadOnlyList<X509Certificate2>? _signing;
    private IReadOnlyList<X509Certificate2>? _encryption;

    public bool IsLoaded => _signing is not null && _encryption is not null;

    public IReadOnlyList<X509Certificate2> Signing => _signing ?? throw NotLoaded();

    public IReadOnlyList<X509Certificate2> Encryption => _encryption ?? throw NotLoaded();

    public void Load(IReadOnlyList<X509Certificate2> signing, IReadOnlyList<X509Certificate2> encryption)
    {
        if (signing.Count == 0 || encryption.Count == 0)
        {
            throw new InvalidOperationException("The server needs at least one signing and one encryption certificate.");
        }

        _signing = signing;
        _encryption = encryption;
    }

    private static InvalidOperationException NotLoaded() =>
        new("The server's keys are not loaded yet: the store initializer must finish before the token server is used.");

    /// <summary>
    /// Registers the certificates with OpenIddict, which signs with the valid one that expires last,
    /// publishes every signing key in the JWKS document and tries every encryption key when it reads.
    /// </summary>
    public sealed class ConfigureServer(ServerKeyRing ring) : IConfigureOptions<OpenIddictServerOptions>
    {
        public void Configure(OpenIddictServerOptions options)
        {
            options.SigningCredentials.AddRange(ring.Signing.Select(certificate =>
                new SigningCredentials(new X509SecurityKey(certificate), SecurityAlgorithms.RsaSha256)));
            options.EncryptionCredentials.AddRange(ring.Encryption.Select(certificate =>
                new EncryptingCredentials(new X509SecurityKey(certificate), SecurityAlgorithms.RsaOAEP, SecurityAlgorithms.Aes256CbcHmacSha512)));
        }
    }
}
