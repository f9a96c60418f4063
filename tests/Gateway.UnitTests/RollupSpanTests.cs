using Gateway.Services;

namespace Gateway.UnitTests;

public sealed class RollupSpanTests
{
    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void A_range_widens_to_whole_hours_and_reads_its_whole_days_from_the_daily_rollups()
    {
        var span = RollupSpan.Of(new TimeRange(At("2024-03-01T10:20:00Z"), At("2024-03-04T07:01:00Z")), wholeDays: true);

        Assert.Equal(At("2024-03-01T10:00:00Z"), span.From);
        Assert.Equal(At("2024-03-04T08:00:00Z"), span.To);
        Assert.Equal(At("2024-03-02T00:00:00Z"), span.DaysFrom);
        Assert.Equal(At("2024-03-04T00:00:00Z"), span.DaysTo);
    }

    [Fact]
    public void A_range_on_hour_boundaries_stays_as_it_is()
    {
        var span = RollupSpan.Of(new TimeRange(At("2024-03-01T00:00:00Z"), At("2024-03-31T00:00:00Z")), wholeDays: true);

        Assert.Equal((At("2024-03-01T00:00:00Z"), At("2024-03-31T00:00:00Z")), (span.From, span.To));
        Assert.Equal((span.From, span.To), (span.DaysFrom, span.DaysTo));
    }

    [Theory]
    [InlineData("2024-03-01T10:20:00Z", "2024-03-02T09:00:00Z", true)] // no whole day inside
    [InlineData("2024-03-01T00:00:00Z", "2024-03-05T00:00:00Z", false)] // an hourly series
    public void Without_a_whole_day_to_use_every_hour_comes_from_the_hourly_rollups(string from, string to, bool wholeDays)
    {
        var span = RollupSpan.Of(new TimeRange(At(from), At(to)), wholeDays);

        Assert.Equal(span.To, span.DaysFrom);
        Assert.Equal(span.To, span.DaysTo);
    }

    [Fact]
    public void Offsets_other_than_utc_align_to_utc_hours()
    {
        var span = RollupSpan.Of(new TimeRange(At("2024-03-01T10:20:00+05:30"), At("2024-03-01T12:00:00+05:30")), wholeDays: true);

        Assert.Equal(At("2024-03-01T04:00:00Z"), span.From);
        Assert.Equal(At("2024-03-01T07:00:00Z"), span.To);
    }
}
