using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Identity.Model;

namespace Identity.Infrastructure.Keys;

/// <summary>Makes and opens the X.509 certificates that carry the server's RSA keys.</summary>
public static class ServerCertificates
{
    private static X509KeyStorageFlags Flags =>
        OperatingSystem.IsMacOS() ? X509KeyStorageFlags.Exportable : X509KeyStorageFlags.EphemeralKeySet;

    /// <summary>A self-signed RSA-2048 certificate whose key usage fits <paramref name="use"/>.</summary>
    public static X509Certificate2 Generate(KeyUse use, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var rsa = RSA.Create(2048);
        var subject = new X500DistinguishedName($"CN=Reddit Sentiment Identity {use}, O=Reddit Sentiment Platform");
        var request = new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            use == KeyUse.Signing ? X509KeyUsageFlags.DigitalSignature : X509KeyUsageFlags.KeyEncipherment, critical: true));
        using var created = request.CreateSelfSigned(notBefore, notAfter);
        // Round-trip through PKCS#12 so the instance owns its key the same way a stored one does.
        return FromPkcs12(created.Export(X509ContentType.Pkcs12));
    }

    public static byte[] ToPkcs12(X509Certificate2 certificate) => certificate.Export(X509ContentType.Pkcs12);

    public static X509Certificate2 FromPkcs12(byte[] data) => X509CertificateLoader.LoadPkcs12(data, password: null, Flags);

    /// <summary>Opens a configured certificate file: <c>.pfx</c>/<c>.p12</c> as PKCS#12, anything else as PEM.</summary>
    public static X509Certificate2 Load(CertificateFile file)
    {
        var extension = System.IO.Path.GetExtension(file.Path).ToLowerInvariant();
        var certificate = extension is ".pfx" or ".p12"
            ? X509CertificateLoader.LoadPkcs12FromFile(file.Path, file.Password, Flags)
            : string.IsNullOrEmpty(file.Password)
                ? X509Certificate2.CreateFromPemFile(file.Path, file.KeyPath)
                : X509Certificate2.CreateFromEncryptedPemFile(file.Path, file.Password, file.KeyPath);

        using var key = certificate.HasPrivateKey ? certificate.GetRSAPrivateKey() : null;
        if (key is null)
        {
            certificate.Dispose();
            throw new InvalidOperationException($"The certificate {file.Path} has no RSA private key.");
        }

        return certificate;
    }
}
