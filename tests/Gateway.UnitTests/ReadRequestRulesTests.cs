using Microsoft.Extensions.Time.Testing;
using System.Globalization;
using Gateway.Services;

namespace Gateway.UnitTests;

public sealed class ReadRequestRulesTests
{
    [Fact]
    public void An_open_range_ends_at_the_next_whole_minute_so_readers_within_a_minute_share_one_range()
    {
        var errors = new Dictionary<string, string[]>();
        var early = ReadRequestRules.Range(new FakeTimeProvider(At("2026-12-01T09:24:00.0010000Z")), null, null, errors);
        var late = ReadRequestRules.Range(new FakeTimeProvider(At("2026-12-01T09:24:59.9990000Z")), null, null, errors);

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
        var clock = new FakeTimeProvider(At("2026-12-01T09:24:00Z"));

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

    [Theory]
    [InlineData("0001-01-10T00:00:00Z", null, "to")] // minus the default 30 days it overflowed (a 500 before)
    [InlineData(null, "0001-01-01T00:00:00Z", "from")]
    [InlineData("9999-12-31T00:00:00Z", null, "to")]
    public void Times_beyond_the_calendar_the_platform_covers_are_refused_not_overflowed(string? to, string? from, string field)
    {
        var errors = new Dictionary<string, string[]>();

        var range = ReadRequestRules.Range(new FakeTimeProvider(At("2026-12-01T09:24:00Z")), from is null ? null : At(from), to is null ? null : At(to), errors);

        Assert.Contains("Use a time from 1970-01-01", Assert.Single(errors, e => e.Key == field).Value[0]);
        Assert.True(range.From < range.To);
    }

    [Fact]
    public void A_range_ending_early_in_1970_starts_at_the_earliest_time()
    {
        var errors = new Dictionary<string, string[]>();

        var range = ReadRequestRules.Range(new FakeTimeProvider(At("2026-12-01T09:24:00Z")), null, At("1970-01-10T00:00:00Z"), errors);

        Assert.Empty(errors);
        Assert.Equal(ReadRequestRules.Earliest, range.From);
    }

    [Theory]
    [InlineData("dotnet", true)]
    [InlineData("AskReddit", true)]
    [InlineData("a_b_1", true)]
    [InlineData("dot\0net", false)] // a NUL byte reached PostgreSQL (22021) and came back as a 500
    [InlineData("r/dotnet", false)]
    [InlineData("x", false)]
    [InlineData("a234567890123456789012", false)]
    [InlineData("dotnet'; drop table reddit_posts; --", false)]
    public void Subreddit_names_follow_reddits_rules(string name, bool valid)
    {
        var errors = new Dictionary<string, string[]>();

        ReadRequestRules.Subreddit(name.Replace("\\0", "\0", StringComparison.Ordinal), errors);

        Assert.Equal(valid, errors.Count == 0);
    }

    [Fact]
    public void A_required_subreddit_must_be_named_and_an_optional_one_may_be_absent()
    {
        var errors = new Dictionary<string, string[]>();
        ReadRequestRules.Subreddit(null, errors);
        Assert.Empty(errors);

        ReadRequestRules.Subreddit("", errors, required: true);
        Assert.Equal("Name the subreddit.", errors["subreddit"][0]);
    }

    [Theory]
    [InlineData("good vibes", true)]
    [InlineData("nul\0byte", false)]
    [InlineData("bell\u0007", false)]
    public void Search_terms_cannot_hold_control_characters(string query, bool valid)
    {
        var errors = new Dictionary<string, string[]>();

        ReadRequestRules.SearchTerms(System.Text.RegularExpressions.Regex.Unescape(query), 20, errors);

        Assert.Equal(valid, errors.Count == 0);
    }

    [Theory]
    [InlineData("1a2b3c", true)]
    [InlineData("t3_1a2b3c", false)]
    [InlineData("abc\0", false)]
    public void Post_ids_are_base_36(string id, bool valid)
    {
        var errors = new Dictionary<string, string[]>();

        ReadRequestRules.ItemId(System.Text.RegularExpressions.Regex.Unescape(id), errors);

        Assert.Equal(valid, errors.Count == 0);
    }

    private static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture);
}
