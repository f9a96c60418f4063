namespace Gateway.Services;

/// <summary>
/// The rules of read requests, shared by the REST and gRPC APIs so both refuse the same things with the
/// same words. Each check adds field → messages to <c>errors</c>.
/// </summary>
public static class ReadRequestRules
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

    public static TimeRange Range(TimeProvider time, DateTimeOffset? from, DateTimeOffset? to, IDictionary<string, string[]> errors)
    {
        var end = (to ?? CeilingTo(time.GetUtcNow(), OpenEndAlignment)).ToUniversalTime();
        var start = (from ?? end - DefaultWindow).ToUniversalTime();
        if (start >= end)
        {
            errors["from"] = ["'from' must be before 'to'."];
        }

        return new TimeRange(start, end);
    }

    private static DateTimeOffset CeilingTo(DateTimeOffset instant, TimeSpan step)
    {
        var ticks = instant.UtcTicks;
        return new DateTimeOffset(ticks + (step.Ticks - ticks % step.Ticks) % step.Ticks, TimeSpan.Zero);
    }

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

        if (top is < 0 or > MaxPageSize)
        {
            errors["top"] = [$"Use 0 to {MaxPageSize}."];
        }
    }
}
