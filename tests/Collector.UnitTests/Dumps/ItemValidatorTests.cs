using Collector.Model;
using Collector.Validation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Collector.UnitTests.Dumps;

public sealed class ItemValidatorTests
{
    private static readonly DateTimeOffset Now = new(2024, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static ItemValidator Validator(Action<ValidationRules>? configure = null)
    {
        var rules = new ValidationRules();
        configure?.Invoke(rules);
        return new ItemValidator(Options.Create(rules), new FixedTime(Now));
    }

    private static readonly RedditItem Comment = new(RedditItemKind.Comment, "kod0bkd", "woodworking", "DubsAli", null,
        "Absolutely stunning.", new DateTimeOffset(2024, 2, 1, 0, 0, 0, TimeSpan.Zero), "t3_1afjd7n", "1afjd7n", 2);

    private static readonly RedditItem LinkPost = new(RedditItemKind.Post, "87", "reddit.com", "kn0thing",
        "The Downing Street Memo", "", new DateTimeOffset(2005, 6, 23, 18, 43, 53, TimeSpan.Zero));

    [Fact]
    public void Ordinary_items_are_valid()
    {
        Assert.Equal(ValidationResult.Valid, Validator().Validate(Comment));
        Assert.Equal(ValidationResult.Valid, Validator().Validate(LinkPost));
    }

    [Fact]
    public void A_deleted_author_with_a_real_text_is_fine()
    {
        Assert.True(Validator().Validate(Comment with { Author = "[deleted]" }).IsValid);
    }

    public static TheoryData<RedditItem, string> Rejections => new()
    {
        { Comment with { Id = "" }, "missing_id" },
        { Comment with { Id = "  " }, "missing_id" },
        { Comment with { Subreddit = "" }, "missing_subreddit" },
        { Comment with { CreatedAt = default }, "missing_created_at" },
        { Comment with { CreatedAt = new DateTimeOffset(2005, 5, 31, 23, 59, 59, TimeSpan.Zero) },
            "created_too_early: 2005-05-31T23:59:59Z < 2005-06-01T00:00:00Z" },
        { Comment with { CreatedAt = Now.AddMinutes(6) }, "created_in_future: 2024-03-01T12:06:00Z > 2024-03-01T12:05:00Z" },
        { Comment with { Body = "" }, "missing_text" },
        { Comment with { Body = " \n\t" }, "missing_text" },
        { LinkPost with { Title = "" }, "missing_text" },
        { LinkPost with { Title = null }, "missing_text" },
        { Comment with { Body = "[deleted]" }, "text_deleted" },
        { Comment with { Body = "[removed]" }, "text_removed" },
        { Comment with { Body = " [Removed] " }, "text_removed" },
        { Comment with { Body = "[ Removed by Reddit ]" }, "text_removed" },
        { Comment with { Body = "[ Removed by Reddit on account of violating the content policy. ]" }, "text_removed" },
        { LinkPost with { Body = "[removed]" }, "text_removed" },
        { LinkPost with { Body = "[deleted]" }, "text_deleted" },
    };

    [Theory]
    [MemberData(nameof(Rejections))]
    public void Each_rule_rejects_with_its_reason(RedditItem item, string reason)
    {
        var result = Validator().Validate(item);

        Assert.Equal(new ValidationResult(false, reason), result);
        Assert.Equal(reason.Split(':')[0], result.Code);
    }

    [Fact]
    public void Texts_over_the_limit_are_rejected_counting_a_posts_title_and_body()
    {
        Assert.Equal(new ValidationResult(false, "text_too_long: 52311 > 40000"),
            Validator().Validate(Comment with { Body = new string('x', 52311) }));
        Assert.Equal(new ValidationResult(false, "text_too_long: 40001 > 40000"),
            Validator().Validate(LinkPost with { Title = "T", Body = new string('x', 39998) }));
    }

    [Fact]
    public void Texts_up_to_the_limit_are_accepted_and_the_limit_is_configurable()
    {
        Assert.True(Validator().Validate(Comment with { Body = new string('x', 40_000) }).IsValid);
        Assert.Equal("text_too_long: 101 > 100", Validator(r => r.MaxTextLength = 100).Validate(Comment with { Body = new string('x', 101) }).Reason);
    }

    [Fact]
    public void Text_that_merely_mentions_a_placeholder_is_real_text()
    {
        Assert.True(Validator().Validate(Comment with { Body = "[deleted] by mistake, sorry" }).IsValid);
        Assert.True(Validator().Validate(Comment with { Body = "[removed]?" }).IsValid);
    }

    [Fact]
    public void Placeholders_kept_as_neutral_are_valid_and_say_why()
    {
        var validator = Validator(r => r.DeletedHandling = DeletedContentHandling.KeepAsNeutral);

        Assert.Equal(new ValidationResult(true, "text_removed"), validator.Validate(Comment with { Body = "[removed]" }));
        Assert.Equal(new ValidationResult(true, "text_deleted"), validator.Validate(Comment with { Body = "[deleted]" }));
        Assert.Equal(ValidationResult.Valid, validator.Validate(Comment));
    }

    [Fact]
    public void Allowed_subreddits_match_case_insensitively_with_or_without_r_slash()
    {
        var validator = Validator(r => r.AllowedSubreddits = ["r/WoodWorking", "/r/AskReddit", "technology"]);

        Assert.True(validator.Validate(Comment).IsValid);
        Assert.True(validator.Validate(Comment with { Subreddit = "askreddit" }).IsValid);
        Assert.True(validator.Validate(Comment with { Subreddit = "Technology" }).IsValid);
        Assert.Equal(new ValidationResult(false, "subreddit_not_allowed: pics"), validator.Validate(Comment with { Subreddit = "pics" }));
    }

    [Fact]
    public void Time_bounds_are_configurable()
    {
        var validator = Validator(r =>
        {
            r.MinCreatedAt = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
            r.MaxClockSkew = TimeSpan.FromHours(1);
        });

        Assert.Equal("created_too_early", validator.Validate(Comment with { CreatedAt = new(2019, 12, 31, 0, 0, 0, TimeSpan.Zero) }).Code);
        Assert.True(validator.Validate(Comment with { CreatedAt = Now.AddMinutes(59) }).IsValid);
        Assert.Equal("created_in_future", validator.Validate(Comment with { CreatedAt = Now.AddMinutes(61) }).Code);
        Assert.True(Validator().Validate(Comment with { CreatedAt = ValidationRules.RedditLaunch }).IsValid);
    }

    private static ValidationRules Bind(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create($"{ValidationRules.SectionName}:{s.Key}", (string?)s.Value)))
            .Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddOptions<ValidationRules>().BindConfiguration(ValidationRules.SectionName).ValidateDataAnnotations().Services
            .BuildServiceProvider();
        return services.GetRequiredService<IOptions<ValidationRules>>().Value;
    }

    [Fact]
    public void The_rules_bind_from_configuration_with_sensible_defaults()
    {
        var defaults = Bind();
        var configured = Bind(("MaxTextLength", "10000"), ("DeletedHandling", "KeepAsNeutral"), ("AllowedSubreddits:0", "pics"),
            ("AllowedSubreddits:1", "aww"), ("MinCreatedAt", "2010-01-01T00:00:00Z"), ("MaxClockSkew", "00:01:00"));

        Assert.Equal((40_000, DeletedContentHandling.Reject, 0, ValidationRules.RedditLaunch, TimeSpan.FromMinutes(5)),
            (defaults.MaxTextLength, defaults.DeletedHandling, defaults.AllowedSubreddits.Length, defaults.MinCreatedAt, defaults.MaxClockSkew));
        Assert.Equal((10_000, DeletedContentHandling.KeepAsNeutral, new DateTimeOffset(2010, 1, 1, 0, 0, 0, TimeSpan.Zero), TimeSpan.FromMinutes(1)),
            (configured.MaxTextLength, configured.DeletedHandling, configured.MinCreatedAt, configured.MaxClockSkew));
        Assert.Equal(["pics", "aww"], configured.AllowedSubreddits);
    }

    [Theory]
    [InlineData("MaxTextLength", "0", "MaxTextLength")]
    [InlineData("DeletedHandling", "7", "DeletedHandling")]
    [InlineData("MaxClockSkew", "-00:01:00", "MaxClockSkew")]
    [InlineData("MaxClockSkew", "2.00:00:00", "MaxClockSkew")]
    [InlineData("AllowedSubreddits:0", " ", "AllowedSubreddits")]
    [InlineData("MinCreatedAt", "2999-01-01T00:00:00Z", "MinCreatedAt")]
    public void Bad_settings_fail_at_start_naming_the_setting(string key, string value, string named)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind((key, value)));

        Assert.Contains(named, error.Message);
    }
}
