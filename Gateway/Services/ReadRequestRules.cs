using System.Text.RegularExpressions;

namespace Gateway.Services;

/// <summary>
/// The rules of read requests, shared by the REST and gRPC APIs so both refuse the same things with the
/// same words. Each check adds field → messages to <c>errors</c>.
/// </summary>
public static partial class ReadRequestRules
{
    public const int MaxPageSize = 100;
    public const int MaxBuckets = 2000;
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(30);

    /// <summary>
    /// A range without <c>to</c> ends at the next whole minute, not at this instant: everyone who asks within a
    /// minute asks for the same range and shares one cached aggregate. (Ending at the instant made the cache key
    /// change every second: each second's first readers re-ran the query, and Redis got a new entry per second.)
    /// Nothing is left out, since items carry past times, and new scores still refresh the cache by its versions.
    /// </summary>
    public static readonly TimeSpan OpenEndAlignment = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Times outside [<see cref="Earliest"/>, <see cref="Latest"/>) are refused: Reddit began in 2005, and a
    /// range reaching the ends of the calendar would overflow (<c>to=0001-01-10</c> minus the default 30 days).
    /// </summary>
    public static readonly DateTimeOffset Earliest = new(1970, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset Latest = new(3000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static TimeRange Range(TimeProvider time, DateTimeOffset? from, DateTimeOffset? to, IDictionary<string, string[]> errors)
    {
        var outside = false;
        foreach (var (name, value) in new[] { ("from", from), ("to", to) })
        {
            if (value is { } instant && (instant < Earliest || instant >= Latest))
            {
                errors[name] = [$"Use a time from {Earliest:yyyy-MM-dd} to before {Latest:yyyy-MM-dd}."];
                outside = true;
            }
        }

        if (outside)
        {
            return new TimeRange(Earliest, Latest); // refused: only its validity matters
        }

        var end = (to ?? TimeAlignment.Ceiling(time.GetUtcNow(), OpenEndAlignment)).ToUniversalTime();
        var start = (from ?? (end - Earliest > DefaultWindow ? end - DefaultWindow : Earliest)).ToUniversalTime();
        if (start >= end)
        {
            errors["from"] = ["'from' must be before 'to'."];
        }

        return new TimeRange(start, end);
    }

    /// <summary>
    /// A subreddit name as Reddit allows them (letters, digits and underscores, 2 to 21 of them); an optional one
    /// may be absent. Anything else, a NUL byte included, is refused here rather than sent to PostgreSQL.
    /// </summary>
    public static void Subreddit(string? name, IDictionary<string, string[]> errors, bool required = false)
    {
        if (string.IsNullOrEmpty(name))
        {
            if (required)
            {
                errors["subreddit"] = ["Name the subreddit."];
            }

            return;
        }

        if (!SubredditName().IsMatch(name))
        {
            errors["subreddit"] = ["A subreddit name is 2 to 21 letters, digits or underscores."];
        }
    }

    /// <summary>A post's id: base 36, as Reddit writes it (without the <c>t3_</c> prefix).</summary>
    public static void ItemId(string id, IDictionary<string, string[]> errors)
    {
        if (!ItemIdPattern().IsMatch(id))
        {
            errors["id"] = ["An id is 1 to 16 lower-case letters and digits (base 36, without t3_)."];
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_]{2,21}$")]
    private static partial Regex SubredditName();

    [GeneratedRegex("^[a-z0-9]{1,16}$")]
    private static partial Regex ItemIdPattern();


    public static void Paging(int offset, int limit, IDictionary<string, string[]> errors)
    {
        if (offset < 0)
        {
            errors["offset"] = ["Use 0 or more."];
        }

        if (limit is < 1 or > MaxPageSize)
        {
            errors["limit"] = [$"Use 1 to {MaxPageSize}."];
        }
    }

    public static TimeSpan Interval(string interval, TimeRange range, IDictionary<string, string[]> errors)
    {
        var step = interval switch
        {
            "minute" => TimeSpan.FromMinutes(1),
            "hour" => TimeSpan.FromHours(1),
            "day" => TimeSpan.FromDays(1),
            "week" => TimeSpan.FromDays(7),
            _ => TimeSpan.Zero,
        };
        if (step == TimeSpan.Zero)
        {
            errors["interval"] = ["Use minute, hour, day or week."];
        }
        else if ((range.To - range.From) / step > MaxBuckets)
        {
            errors["interval"] = [$"The range holds more than {MaxBuckets} intervals of {interval}; widen the interval or narrow the range."];
        }

        return step;
    }

    public static void Label(string? label, IDictionary<string, string[]> errors)
    {
        if (label is not null && label is not ("negative" or "neutral" or "positive"))
        {
            errors["label"] = ["Use negative, neutral or positive."];
        }
    }

    public static void SearchTerms(string? query, int top, IDictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(query) || query.Length > 200)
        {
            errors["q"] = ["Give 1 to 200 characters of search terms."];
        }
        else if (query.Any(char.IsControl))
        {
            errors["q"] = ["Search terms cannot hold control characters."];
        }

        if (top is < 0 or > MaxPageSize)
        {
            errors["top"] = [$"Use 0 to {MaxPageSize}."];
        }
    }
}
