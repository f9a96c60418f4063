using System.ComponentModel.DataAnnotations;

namespace Identity.Model;

/// <summary>
/// The rate limit on <c>/connect/token</c> per client address (section <c>Identity:RateLimit</c>): a fixed
/// window of <see cref="PermitLimit"/> requests; beyond it the answer is 429 with <c>Retry-After</c>.
/// </summary>
public sealed class TokenRateLimitOptions
{
    public const string SectionName = "Identity:RateLimit";

    [Range(1, 100_000)]
    public int PermitLimit { get; set; } = 20;

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}
