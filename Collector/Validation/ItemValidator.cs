using System.Globalization;
using Collector.Model;
using Microsoft.Extensions.Options;

namespace Collector.Validation;

/// <summary>Decides whether an ingested item is worth scoring, by <see cref="ValidationRules"/>.</summary>
/// <remarks>Checks run cheapest and most structural first; the first failing rule gives the reason.</remarks>
public sealed class ItemValidator
{
    private readonly ValidationRules _rules;
    private readonly TimeProvider _time;
    private readonly HashSet<string>? _allowedSubreddits;

    public ItemValidator(IOptions<ValidationRules> rules, TimeProvider time)
    {
        _rules = rules.Value;
        _time = time;
        _allowedSubreddits = _rules.AllowedSubreddits.Length == 0
            ? null
            : _rules.AllowedSubreddits.Select(SubredditName).ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    public ValidationResult Validate(RedditItem item)
    {
        if (string.IsNullOrWhiteSpace(item.Id))
        {
            return ValidationResult.Invalid(ValidationReasons.MissingId);
        }

        if (item.Id.Length > 16 || !item.Id.All(c => char.IsAsciiDigit(c) || char.IsAsciiLetterLower(c)))
        {
            return ValidationResult.Invalid($"{ValidationReasons.InvalidId}: {item.Id[..Math.Min(item.Id.Length, 40)]}");
        }

        if (string.IsNullOrWhiteSpace(item.Subreddit))
        {
            return ValidationResult.Invalid(ValidationReasons.MissingSubreddit);
        }

        if (item.CreatedAt == default)
        {
            return ValidationResult.Invalid(ValidationReasons.MissingCreatedAt);
        }

        if (item.CreatedAt < _rules.MinCreatedAt)
        {
            return ValidationResult.Invalid(ValidationReasons.CreatedTooEarly, $"{Format(item.CreatedAt)} < {Format(_rules.MinCreatedAt)}");
        }

        var latest = _time.GetUtcNow() + _rules.MaxClockSkew;
        if (item.CreatedAt > latest)
        {
            return ValidationResult.Invalid(ValidationReasons.CreatedInFuture, $"{Format(item.CreatedAt)} > {Format(latest)}");
        }

        if (_allowedSubreddits is not null && !_allowedSubreddits.Contains(item.Subreddit))
        {
            return ValidationResult.Invalid(ValidationReasons.SubredditNotAllowed, item.Subreddit);
        }

        if (PlaceholderCode(item.Body) is { } placeholder)
        {
            return _rules.DeletedHandling == DeletedContentHandling.KeepAsNeutral
                ? new ValidationResult(true, placeholder)
                : ValidationResult.Invalid(placeholder);
        }

        var text = item.ScoredText;
        if (string.IsNullOrWhiteSpace(text))
        {
            return ValidationResult.Invalid(ValidationReasons.MissingText);
        }

        if (text.Length > _rules.MaxTextLength)
        {
            return ValidationResult.Invalid(ValidationReasons.TextTooLong,
                string.Create(CultureInfo.InvariantCulture, $"{text.Length} > {_rules.MaxTextLength}"));
        }

        return ValidationResult.Valid;
    }

    /// <summary>
    /// The code for a body that is only Reddit's placeholder for gone content: <c>[deleted]</c> (by the author),
    /// <c>[removed]</c> (by moderators), <c>[ Removed by Reddit ]</c> (by Reddit's admins); null otherwise.
    /// A post whose self text is gone is rejected too, although its title remains: it was taken down.
    /// </summary>
    public static string? PlaceholderCode(string body)
    {
        var text = body.AsSpan().Trim();
        if (text.Length < 9 || text[0] != '[' || text[^1] != ']')
        {
            return null;
        }

        if (text.Equals("[deleted]", StringComparison.OrdinalIgnoreCase))
        {
            return ValidationReasons.TextDeleted;
        }

        return text.Equals("[removed]", StringComparison.OrdinalIgnoreCase)
               || text.StartsWith("[ Removed by Reddit", StringComparison.OrdinalIgnoreCase)
            ? ValidationReasons.TextRemoved
            : null;
    }

    private static string SubredditName(string name)
    {
        var trimmed = name.Trim().TrimStart('/');
        return trimmed.StartsWith("r/", StringComparison.OrdinalIgnoreCase) ? trimmed[2..] : trimmed;
    }

    private static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
