using Gateway.Services;

namespace Gateway.UnitTests;

public sealed class KeywordShiftDetectorTests
{
    private static readonly AlertOptions Options = new();
    private const double WindowHours = 2.5;
    private const double BaselineHours = 7 * 24;

    private static KeywordWindow Window(long items, long positive, long negative, long baseline, long baselinePositive, long baselineNegative) =>
        new(1, "graphics card", null, items, positive, negative, baseline, baselinePositive, baselineNegative);

    [Fact]
    public void A_turn_to_negative_against_a_positive_baseline_raises_a_sentiment_drop()
    {
        var evaluation = KeywordShiftDetector.Evaluate(Window(25, 0, 25, 168, 150, 8), WindowHours, BaselineHours, Options);

        var drop = Assert.Single(evaluation.Shifts, s => s.Kind == ShiftKind.SentimentDrop);
        Assert.True(drop.ZScore < -10, $"z = {drop.ZScore}");
        Assert.Equal(-1.0, drop.WindowValue);
        Assert.Equal((150 - 8) / 168.0, drop.BaselineValue, 6);
    }

    [Fact]
    public void The_same_mix_as_the_baseline_at_the_usual_rate_raises_nothing()
    {
        // 1,680 mentions a week is ten an hour: 25 in 2.5 hours is the usual rate.
        var evaluation = KeywordShiftDetector.Evaluate(Window(25, 20, 2, 1680, 1350, 140), WindowHours, BaselineHours, Options);

        Assert.Empty(evaluation.Shifts);
        Assert.InRange(evaluation.SentimentZ!.Value, -3, 3);
        Assert.InRange(evaluation.VolumeZ!.Value, -3, 3);
    }

    [Fact]
    public void A_burst_of_mentions_raises_a_volume_spike_whatever_their_sentiment()
    {
        var evaluation = KeywordShiftDetector.Evaluate(Window(60, 30, 10, 168, 100, 34), WindowHours, BaselineHours, Options);

        var spike = Assert.Single(evaluation.Shifts, s => s.Kind == ShiftKind.VolumeSpike);
        Assert.Equal((60 - 2.5) / Math.Sqrt(2.5), spike.ZScore, 6);
        Assert.Equal(24, spike.WindowValue, 6);
    }

    [Fact]
    public void Too_few_mentions_in_the_window_or_the_baseline_raise_nothing()
    {
        Assert.Empty(KeywordShiftDetector.Evaluate(Window(19, 0, 19, 1000, 900, 10), WindowHours, BaselineHours, Options).Shifts);

        var newTerm = KeywordShiftDetector.Evaluate(Window(30, 0, 30, 5, 5, 0), WindowHours, BaselineHours, Options);
        Assert.Null(newTerm.SentimentZ);
        Assert.Equal(ShiftKind.VolumeSpike, Assert.Single(newTerm.Shifts).Kind); // a term that appears from nowhere is news
    }

    [Fact]
    public void A_baseline_of_only_positive_mentions_still_has_a_spread()
    {
        var evaluation = KeywordShiftDetector.Evaluate(Window(20, 19, 0, 200, 200, 0), WindowHours, baselineHours: 25, Options);

        Assert.True(double.IsFinite(evaluation.SentimentZ!.Value));
        Assert.Empty(evaluation.Shifts);
    }
}
