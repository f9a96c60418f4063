namespace Collector.Ingestion.Reddit;

/// <summary>
/// Paging parameters of a Reddit listing. <see cref="After"/> asks for things older than a fullname
/// (next page of a newest-first listing), <see cref="Before"/> for things newer than it; set one at most.
/// </summary>
public sealed record ListingQuery
{
    public const int MaxLimit = 100;

    /// <summary>The first page, as many things as Reddit gives at once.</summary>
    public static ListingQuery FirstPage { get; } = new();

    public int Limit { get; init; } = MaxLimit;

    public string? After { get; init; }

    public string? Before { get; init; }

    /// <summary>How many things were seen so far; Reddit fills the response's <c>before</c> only when set.</summary>
    public int? Count { get; init; }

    /// <summary>The period of a <c>top</c> or <c>controversial</c> listing (<c>t=</c>): one of <see cref="Periods"/>.</summary>
    public string? Period { get; init; }

    /// <summary>Reddit's periods for <c>t=</c>.</summary>
    public static IReadOnlyList<string> Periods { get; } = ["hour", "day", "week", "month", "year", "all"];

    /// <summary>The sorts of a subreddit's posts (<c>/r/{sub}/{sort}</c>); comments have only <c>/r/{sub}/comments</c>.</summary>
    public static IReadOnlyList<string> PostSorts { get; } = ["new", "hot", "top", "controversial", "rising"];

    /// <summary>Sorts that take a period.</summary>
    public static bool TakesPeriod(string sort) => sort is "top" or "controversial";

    public static ListingQuery AfterThing(string fullname, int? count = null) => new() { After = fullname, Count = count };

    public static ListingQuery BeforeThing(string fullname, int? count = null) => new() { Before = fullname, Count = count };

    internal IEnumerable<KeyValuePair<string, string>> ToParameters()
    {
        if (Limit is < 1 or > MaxLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(Limit), Limit, $"Reddit serves 1 to {MaxLimit} things a page.");
        }

        if (After is not null && Before is not null)
        {
            throw new ArgumentException("Set After or Before, not both.");
        }

        yield return new("limit", Limit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (After is not null)
        {
            yield return new("after", After);
        }

        if (Before is not null)
        {
            yield return new("before", Before);
        }

        if (Count is { } count)
        {
            yield return new("count", count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (Period is not null)
        {
            yield return Periods.Contains(Period)
                ? new("t", Period)
                : throw new ArgumentException($"'{Period}' is not one of Reddit's periods ({string.Join(", ", Periods)}).");
        }
    }
}
