using System.ComponentModel.DataAnnotations;

namespace Collector.Validation;

/// <summary>
/// What makes an ingested item worth scoring (section <c>Collector:Validation</c>). Whatever the settings, an
/// item needs an id, a subreddit, a creation time and some text (a post's title counts as text).
/// </summary>
public sealed class ValidationRules : IValidatableObject
{
    public const string SectionName = "Collector:Validation";

    /// <summary>Reddit's first day; earlier timestamps are corrupt.</summary>
    public static readonly DateTimeOffset RedditLaunch = new(2005, 6, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Longest text accepted, in characters of what is scored (a post's title and body, a comment's body).
    /// Reddit allows 40,000 characters in a self post, 10,000 in a comment.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxTextLength { get; set; } = 40_000;

    /// <summary>
    /// Items whose text is a <c>[deleted]</c> / <c>[removed]</c> placeholder. Rejected by default: there is
    /// nothing to score. A <c>[deleted]</c> author with a real text is always fine.
    /// </summary>
    [EnumDataType(typeof(DeletedContentHandling))]
    public DeletedContentHandling DeletedHandling { get; set; } = DeletedContentHandling.Reject;

    /// <summary>Subreddits to keep (case-insensitive, with or without <c>r/</c>); empty keeps all.</summary>
    public string[] AllowedSubreddits { get; set; } = [];

    /// <summary>Items created earlier are rejected as corrupt.</summary>
    public DateTimeOffset MinCreatedAt { get; set; } = RedditLaunch;

    /// <summary>How far in the future a creation time may be (clocks differ) before it is rejected.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    public IEnumerable<System.ComponentModel.DataAnnotations.ValidationResult> Validate(ValidationContext validationContext)
    {
        if (AllowedSubreddits.Any(string.IsNullOrWhiteSpace))
        {
            yield return new("AllowedSubreddits must not contain blank names.", [nameof(AllowedSubreddits)]);
        }

        if (MinCreatedAt < RedditLaunch.AddYears(-1) || MinCreatedAt > DateTimeOffset.UtcNow)
        {
            yield return new($"MinCreatedAt must lie between {RedditLaunch.AddYears(-1):yyyy-MM-dd} and now.", [nameof(MinCreatedAt)]);
        }
    }
}

public enum DeletedContentHandling
{
    /// <summary>Reject the item (<c>text_deleted</c> / <c>text_removed</c>).</summary>
    Reject,

    /// <summary>
    /// Accept the item, with the placeholder's code as <see cref="ValidationResult.Reason"/>, so the caller can
    /// store it as neutral without sending it to the model.
    /// </summary>
    KeepAsNeutral,
}
