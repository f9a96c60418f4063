namespace Gateway.Services;

/// <summary>Section <c>Gateway:Alerts</c>: how tracked keywords are watched for shifts.</summary>
public sealed class AlertOptions
{
    public const string SectionName = "Gateway:Alerts";

    /// <summary>How often every tracked keyword is evaluated.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The latest window: this many UTC hours, the current (partial) one included.</summary>
    public int WindowHours { get; set; } = 3;

    /// <summary>The trailing baseline before the window.</summary>
    public int BaselineDays { get; set; } = 7;

    /// <summary>Fewer mentions than this in the window (or, for sentiment, in the baseline) raise nothing.</summary>
    public int MinMentions { get; set; } = 20;

    /// <summary>|z| at or above this raises an alert.</summary>
    public double Threshold { get; set; } = 3.0;
}

/// <summary>A keyword's mentions in the latest window and in the trailing baseline before it.</summary>
public sealed record KeywordWindow(
    int KeywordId, string Phrase, string? Subreddit,
    long WindowItems, long WindowPositive, long WindowNegative,
    long BaselineItems, long BaselinePositive, long BaselineNegative)
{
    /// <summary>The keyword as metrics and alerts name it: <c>phrase</c> or <c>phrase (r/sub)</c>.</summary>
    public string Label => Subreddit is null ? Phrase : $"{Phrase} (r/{Subreddit})";
}

public enum ShiftKind
{
    SentimentDrop,
    SentimentRise,
    VolumeSpike,
}

/// <param name="WindowValue">Net sentiment (share positive minus share negative) or mentions per hour in the window.</param>
/// <param name="BaselineValue">The same in the baseline.</param>
public sealed record Shift(ShiftKind Kind, double ZScore, double WindowValue, double BaselineValue);

/// <summary>The z-scores of one keyword's window (null where too few mentions to say) and the shifts they raise.</summary>
public sealed record KeywordEvaluation(KeywordWindow Window, double? SentimentZ, double? VolumeZ, IReadOnlyList<Shift> Shifts);

/// <summary>
/// The shift detector. Two tests per keyword, each a z-score of the latest window against the trailing baseline:
/// <list type="bullet">
/// <item><b>Sentiment</b>: each mention counts +1 (positive), 0 (neutral) or −1 (negative); the window's mean (the net
/// sentiment) against the baseline's, in standard errors of a mean of the window's size under the baseline's
/// spread. The baseline's shares are smoothed by one pseudo-mention per label, so a baseline of only positive
/// mentions still has a spread. Needs <see cref="AlertOptions.MinMentions"/> in both.</item>
/// <item><b>Volume</b>: mentions in the window against the baseline's hourly rate times the window's hours, in
/// Poisson standard deviations (at least one). Raises only upwards, with the minimum volume in the window.</item>
/// </list>
/// </summary>
public static class KeywordShiftDetector
{
    public static KeywordEvaluation Evaluate(KeywordWindow window, double windowHours, double baselineHours, AlertOptions options)
    {
        var shifts = new List<Shift>();
        double? sentimentZ = null;
        if (window.WindowItems >= options.MinMentions && window.BaselineItems >= options.MinMentions)
        {
            var total = window.BaselineItems + 3.0;
            var (positive, negative) = ((window.BaselinePositive + 1) / total, (window.BaselineNegative + 1) / total);
            var baselineNet = positive - negative;
            var variance = positive + negative - baselineNet * baselineNet;
            var windowNet = (window.WindowPositive - window.WindowNegative) / (double)window.WindowItems;
            sentimentZ = (windowNet - baselineNet) / Math.Sqrt(variance / window.WindowItems);
            if (Math.Abs(sentimentZ.Value) >= options.Threshold)
            {
                shifts.Add(new Shift(sentimentZ < 0 ? ShiftKind.SentimentDrop : ShiftKind.SentimentRise, sentimentZ.Value, windowNet,
                    (window.BaselinePositive - window.BaselineNegative) / (double)window.BaselineItems));
            }
        }

        double? volumeZ = null;
        if (window.WindowItems >= options.MinMentions)
        {
            var expected = window.BaselineItems / baselineHours * windowHours;
            volumeZ = (window.WindowItems - expected) / Math.Sqrt(Math.Max(expected, 1));
        }

        if (volumeZ >= options.Threshold)
        {
            shifts.Add(new Shift(ShiftKind.VolumeSpike, volumeZ.Value, window.WindowItems / windowHours, window.BaselineItems / baselineHours));
        }

        return new KeywordEvaluation(window, sentimentZ, volumeZ, shifts);
    }

    /// <summary>The alert kind as the API, the table and the metrics write it.</summary>
    public static string Name(ShiftKind kind) => kind switch
    {
        ShiftKind.SentimentDrop => "sentiment_drop",
        ShiftKind.SentimentRise => "sentiment_rise",
        _ => "volume_spike",
    };
}
