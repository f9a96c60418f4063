using System.ComponentModel.DataAnnotations;

namespace Identity.Model;

/// <summary>
/// Where the signing and encryption certificates come from (section <c>Identity:Keys</c>).
/// <list type="bullet">
/// <item>No files configured (development, the AppHost): Identity generates self-signed certificates,
/// stores them in PostgreSQL protected by Data Protection, and makes a successor when the newest is within
/// <see cref="RenewBefore"/> of expiry.</item>
/// <item>Files (production, a mounted Kubernetes Secret): PEM (certificate and key, optionally in two files)
/// or PKCS#12 (<c>.pfx</c>/<c>.p12</c>). OpenIddict signs with the valid certificate that expires last and
/// publishes the others, so rotation is adding a certificate, then removing the old one later.</item>
/// </list>
/// </summary>
public sealed class KeyOptions : IValidatableObject
{
    public const string SectionName = "Identity:Keys";

    /// <summary><c>Identity:Keys:SigningCertificates:[n]</c>.</summary>
    public List<CertificateFile> SigningCertificates { get; set; } = [];

    /// <summary><c>Identity:Keys:EncryptionCertificates:[n]</c>.</summary>
    public List<CertificateFile> EncryptionCertificates { get; set; } = [];

    /// <summary>Validity of a generated certificate.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromDays(180);

    /// <summary>A successor is generated at the first start within this time of the newest certificate's expiry.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan RenewBefore { get; set; } = TimeSpan.FromDays(30);

    public bool UsesFiles => SigningCertificates.Count > 0 || EncryptionCertificates.Count > 0;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (UsesFiles && (SigningCertificates.Count == 0 || EncryptionCertificates.Count == 0))
        {
            yield return new ValidationResult(
                $"{SectionName}: configure both SigningCertificates and EncryptionCertificates, or neither (generated keys in PostgreSQL).");
        }

        foreach (var file in SigningCertificates.Concat(EncryptionCertificates).Where(f => string.IsNullOrWhiteSpace(f.Path)))
        {
            yield return new ValidationResult($"{SectionName}: every certificate needs a Path.");
        }

        if (RenewBefore >= Lifetime)
        {
            yield return new ValidationResult($"{SectionName}:RenewBefore ({RenewBefore}) must be shorter than Lifetime ({Lifetime}).");
        }
    }
}

/// <summary>A certificate file: PEM with its key (or the key in <see cref="KeyPath"/>), or PKCS#12.</summary>
public sealed class CertificateFile
{
    public string Path { get; set; } = "";

    public string? KeyPath { get; set; }

    /// <summary>The PKCS#12 password or the encrypted PEM key's password.</summary>
    public string? Password { get; set; }
}
