using System.Globalization;
using Gateway.Services;

namespace Gateway.UnitTests;

public sealed class ReadRequestRulesTests
{
    [Fact]
    public void An_open_range_ends_at_the_next_whole_minute_so_readers_within_a_minute_share_one_range()
    {
        var errors = new Dictionary<string, string[]>();
        var early = ReadRequestRules.Range(new ManualClock(At("2026-12-01T09:24:00.0010000Z")), null, null, errors);
        var late = ReadRequestRules.Range(new ManualClock(At("2026-12-01T09:24:59.9990000Z")), null, null, errors);

        Assert.Empty(errors);
        Assert.Equal(At("2026-12-01T09:25:00Z"), early.To);
        Assert.Equal(early, late);
        Assert.Equal(early.To - ReadRequestRules.DefaultWindow, early.From);
        Assert.Equal(early.ToString(), late.ToString());
    }

    [Fact]
    public void An_instant_on_a_whole_minute_is_its_own_end_and_an_explicit_end_is_kept_as_given()
    {
        var errors = new Dictionary<string, string[]>();
        var clock = new ManualClock(At("2026-12-01T09:24:00Z"));

        Assert.Equal(At("2026-12-01T09:24:00Z"), ReadRequestRules.Range(clock, null, null, errors).To);
        Assert.Equal(At("2026-11-30T10:00:00.5Z"), ReadRequestRules.Range(clock, null, At("2026-11-30T10:00:00.5Z"), errors).To);
    }

    [Fact]
    public void A_range_reads_the_same_in_every_culture_because_it_is_part_of_cache_keys()
    {
        var range = new TimeRange(At("2026-11-01T00:00:00Z"), new DateTimeOffset(2026, 12, 1, 10, 25, 0, TimeSpan.FromHours(1)));
        var before = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            var german = $"{range}";
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("en-US");
            Assert.Equal(german, $"{range}");
            Assert.Equal("2026-11-01T00:00:00.0000000Z/2026-12-01T09:25:00.0000000Z", german);
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }

    private static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture);
}
