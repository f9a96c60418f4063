using System.ComponentModel.DataAnnotations;

namespace Identity.Model;

/// <summary>The token server itself (section <c>Identity</c>).</summary>
public sealed class TokenServerOptions : IValidatableObject
{
    public const string SectionName = "Identity";

    /// <summary>
    /// The issuer URL written into every token and the discovery document (the AppHost sets it to Identity's
    /// own endpoint). Unset, the issuer is taken from each request's host, which only suits a single address.
    /// </summary>
    public string? Issuer { get; set; }

    /// <summary>The <c>aud</c> of access tokens: the platform's API.</summary>
    [Required]
    public string Audience { get; set; } = PlatformScopes.ApiAudience;

    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    [Range(typeof(TimeSpan), "00:05:00", "90.00:00:00")]
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>The issuer as a URI, null when unset (an invalid one fails validation at start).</summary>
    public Uri? IssuerUri => Uri.TryCreate(Issuer, UriKind.Absolute, out var uri) ? uri : null;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(Issuer) &&
            (!Uri.TryCreate(Issuer, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Query.Length > 0 || uri.Fragment.Length > 0))
        {
            yield return new ValidationResult(
                $"{SectionName}:Issuer '{Issuer}' must be an absolute http(s) URL without query or fragment.", [nameof(Issuer)]);
        }
    }
}
