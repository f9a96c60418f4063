namespace Identity.Infrastructure.Keys;

public enum KeyUse
{
    /// <summary>Signs tokens (published in the JWKS document).</summary>
    Signing,

    /// <summary>Encrypts refresh tokens and other tokens only Identity reads (never published).</summary>
    Encryption,
}

/// <summary>
/// A certificate Identity generated for itself (database key mode). The PKCS#12 bytes, private key
/// included, are protected with ASP.NET Core Data Protection before they are stored.
/// </summary>
public sealed class ServerKey
{
    public Guid Id { get; set; }

    public KeyUse Use { get; set; }

    public string Thumbprint { get; set; } = "";

    public DateTimeOffset NotBefore { get; set; }

    public DateTimeOffset NotAfter { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public byte[] ProtectedCertificate { get; set; } = [];
}
