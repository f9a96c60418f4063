using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace Collector.Ingestion.Reddit;

/// <summary>
/// Settings of the Reddit API client, bound from the <c>Reddit</c> section and validated at start
/// (<c>ValidateDataAnnotations().ValidateOnStart()</c>), so a bad setting fails at start with a clear message.
/// </summary>
public sealed partial class RedditOptions : IValidatableObject
{
    public const string SectionName = "Reddit";

    /// <summary>
    /// The key operators know the minimum delay by (<c>Reddit:rate_limit_delay</c>), in seconds
    /// (<c>1.5</c>); when present it sets <see cref="RateLimitDelay"/>.
    /// </summary>
    public const string RateLimitDelayAliasKey = "rate_limit_delay";

    /// <summary>Where API calls go (OAuth host).</summary>
    [Required]
    public Uri ApiBaseUrl { get; set; } = new("https://oauth.reddit.com");

    /// <summary>Where tokens come from: <c>{AuthBaseUrl}/api/v1/access_token</c>.</summary>
    [Required]
    public Uri AuthBaseUrl { get; set; } = new("https://www.reddit.com");

    [Required]
    public string ClientId { get; set; } = "";

    [Required]
    public string ClientSecret { get; set; } = "";

    /// <summary>With <see cref="Password"/>: password grant (script app acting as this user).</summary>
    public string? Username { get; set; }

    /// <summary>With <see cref="Username"/>: password grant; both empty: app-only client_credentials.</summary>
    public string? Password { get; set; }

    /// <summary>First part of the User-Agent Reddit requires: <c>&lt;platform&gt;:&lt;app id&gt;:&lt;version&gt; (by /u/&lt;user&gt;)</c>.</summary>
    [Required, RegularExpression(UserAgentPartPattern)]
    public string UserAgentPlatform { get; set; } = "linux";

    /// <summary>A unique application id, e.g. <c>com.example.sentiment-collector</c>.</summary>
    [Required, RegularExpression(UserAgentPartPattern)]
    public string AppId { get; set; } = "";

    [Required, RegularExpression(UserAgentPartPattern)]
    public string Version { get; set; } = "1.0.0";

    /// <summary>The Reddit account responsible for the app (without <c>/u/</c>).</summary>
    [Required, RegularExpression("^[A-Za-z0-9_-]{3,20}$")]
    public string RedditUser { get; set; } = "";

    /// <summary>
    /// Subreddit names without <c>r/</c>: what the service polls (it polls only when there is at least one). The
    /// client alone, as <c>fetch</c> uses it with <c>--subreddit</c>, needs none.
    /// </summary>
    public List<string> Subreddits { get; set; } = [];

    /// <summary>
    /// A floor under the spacing of requests (<c>rate_limit_delay</c>); zero, the default, leaves the pace to
    /// Reddit's headers (the requests remaining spread over the window: 1,000 in 10 minutes is one every 0.6 s). An
    /// operator sharing the account's budget with another program sets it (<c>1.0</c> for one request a second). A
    /// TimeSpan (<c>00:00:01.5</c>); a bare number would mean days, which the range check rejects.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RateLimitDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Pause between two polling passes over all subreddits.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Retries after the first attempt, for transient failures and 429.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>Limit for one attempt (token fetch, sending, reading the body).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether the password grant is used (script app), rather than app-only client_credentials.</summary>
    public bool UsesPasswordGrant => !string.IsNullOrEmpty(Username) && !string.IsNullOrEmpty(Password);

    /// <summary>The User-Agent in the form Reddit's API rules ask for.</summary>
    public string UserAgent => $"{UserAgentPlatform}:{AppId}:{Version} (by /u/{RedditUser})";

    // No whitespace, colons or parentheses: they would break the User-Agent's structure.
    private const string UserAgentPartPattern = @"^[^\s:()]+$";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrEmpty(Username) != string.IsNullOrEmpty(Password))
        {
            yield return new ValidationResult(
                "Set both Username and Password (password grant) or neither (app-only client_credentials).",
                [nameof(Username), nameof(Password)]);
        }

        foreach (var subreddit in Subreddits)
        {
            if (!SubredditName().IsMatch(subreddit))
            {
                yield return new ValidationResult(
                    $"'{subreddit}' is not a subreddit name (letters, digits and _, 2-21 characters, no r/).",
                    [nameof(Subreddits)]);
            }
        }

        if (Subreddits.Distinct(StringComparer.OrdinalIgnoreCase).Count() != Subreddits.Count)
        {
            yield return new ValidationResult("Subreddits lists a subreddit twice.", [nameof(Subreddits)]);
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_]{2,21}$")]
    private static partial Regex SubredditName();
}
