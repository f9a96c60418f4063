namespace Collector.Validation;

/// <summary>
/// The verdict on one item. <see cref="Reason"/> reads <c>code</c> or <c>code: detail</c> with a code from
/// <see cref="ValidationReasons"/>; it is set for every rejection, and for an item accepted as neutral
/// (<see cref="DeletedContentHandling.KeepAsNeutral"/>).
/// </summary>
public readonly record struct ValidationResult(bool IsValid, string? Reason)
{
    public static readonly ValidationResult Valid = new(true, null);

    /// <summary>The reason's code (the part before the colon), for counting by reason.</summary>
    public string? Code => Reason is null ? null : Reason.IndexOf(':') is var colon and >= 0 ? Reason[..colon] : Reason;

    public static ValidationResult Invalid(string code, string? detail = null) =>
        new(false, detail is null ? code : $"{code}: {detail}");
}

/// <summary>The fixed vocabulary of validation reasons (the part before the colon).</summary>
public static class ValidationReasons
{
    public const string MissingId = "missing_id";
    /// <summary>The id is not Reddit's base-36 form (detail: the id); it would key the stored row.</summary>
    public const string InvalidId = "invalid_id";

    public const string MissingSubreddit = "missing_subreddit";
    public const string MissingCreatedAt = "missing_created_at";

    /// <summary>No text to score: blank body, and for a post a blank title too.</summary>
    public const string MissingText = "missing_text";

    /// <summary>The text is Reddit's <c>[deleted]</c> placeholder (deleted by its author).</summary>
    public const string TextDeleted = "text_deleted";

    /// <summary>The text is a <c>[removed]</c> placeholder (removed by moderators or Reddit).</summary>
    public const string TextRemoved = "text_removed";

    /// <summary>Detail: <c>length &gt; limit</c>.</summary>
    public const string TextTooLong = "text_too_long";

    /// <summary>Detail: the subreddit.</summary>
    public const string SubredditNotAllowed = "subreddit_not_allowed";

    /// <summary>Detail: <c>created &lt; minimum</c>.</summary>
    public const string CreatedTooEarly = "created_too_early";

    /// <summary>Detail: <c>created &gt; latest accepted</c> (now plus the allowed clock skew).</summary>
    public const string CreatedInFuture = "created_in_future";
}
