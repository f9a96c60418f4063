using Collector.Ingestion.Reddit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Collector.UnitTests.Reddit;

public sealed class RedditOptionsTests
{
    private static readonly Dictionary<string, string?> Valid = new()
    {
        ["Reddit:ClientId"] = "id",
        ["Reddit:ClientSecret"] = "secret",
        ["Reddit:AppId"] = "com.example.sentiment",
        ["Reddit:RedditUser"] = "sentiment_dev",
        ["Reddit:Subreddits:0"] = "dotnet",
        ["Reddit:Subreddits:1"] = "csharp",
    };

    private static ServiceProvider Build(Dictionary<string, string?> changes)
    {
        var settings = new Dictionary<string, string?>(Valid);
        foreach (var (key, value) in changes)
        {
            settings[key] = value;
        }

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        services.AddRedditClient();
        return services.BuildServiceProvider();
    }

    private static RedditOptions Bind(Dictionary<string, string?> changes) =>
        Build(changes).GetRequiredService<IOptions<RedditOptions>>().Value;

    private static OptionsValidationException StartFails(Dictionary<string, string?> changes) =>
        Assert.Throws<OptionsValidationException>(() => Build(changes).GetRequiredService<IStartupValidator>().Validate());

    [Fact]
    public void Defaults_point_at_reddit_and_use_app_only_auth()
    {
        var options = Bind([]);

        Assert.Equal(new Uri("https://oauth.reddit.com"), options.ApiBaseUrl);
        Assert.Equal(new Uri("https://www.reddit.com"), options.AuthBaseUrl);
        Assert.False(options.UsesPasswordGrant);
        Assert.Equal(["dotnet", "csharp"], options.Subreddits);
        Assert.Equal(TimeSpan.Zero, options.RateLimitDelay); // the headers pace; a floor only when set
        Assert.Equal(3, options.MaxRetries);
    }

    [Fact]
    public void User_agent_has_the_form_reddit_asks_for()
    {
        var options = Bind(new() { ["Reddit:UserAgentPlatform"] = "linux", ["Reddit:Version"] = "v2.0.1" });

        Assert.Equal("linux:com.example.sentiment:v2.0.1 (by /u/sentiment_dev)", options.UserAgent);
    }

    [Fact]
    public void Rate_limit_delay_can_be_given_in_seconds_under_its_operator_name()
    {
        Assert.Equal(TimeSpan.FromSeconds(1.5), Bind(new() { ["Reddit:rate_limit_delay"] = "1.5" }).RateLimitDelay);
        Assert.Equal(TimeSpan.FromMilliseconds(600), Bind(new() { ["Reddit:RateLimitDelay"] = "00:00:00.600" }).RateLimitDelay);
    }

    [Fact]
    public void Valid_settings_pass_start_validation()
    {
        Build([]).GetRequiredService<IStartupValidator>().Validate();
    }

    [Theory]
    [InlineData("Reddit:ClientId", "")]
    [InlineData("Reddit:AppId", "")]
    [InlineData("Reddit:AppId", "has:colon")]
    [InlineData("Reddit:RedditUser", "/u/someone")]
    [InlineData("Reddit:Version", "1.0 beta")]
    [InlineData("Reddit:Subreddits:1", "r/csharp")]
    [InlineData("Reddit:Subreddits:1", "DotNet")]
    [InlineData("Reddit:MaxRetries", "50")]
    [InlineData("Reddit:RateLimitDelay", "2")] // two days, not two seconds
    [InlineData("Reddit:PollInterval", "00:00:00")]
    [InlineData("Reddit:Username", "someone")] // without a password
    public void Bad_settings_fail_at_start(string key, string value)
    {
        var failure = StartFails(new() { [key] = value });

        Assert.Contains(key.Split(':')[1], failure.Message);
    }

    [Fact]
    public void The_client_needs_no_subreddits_fetch_names_its_own()
    {
        var settings = Valid.Where(pair => !pair.Key.StartsWith("Reddit:Subreddits", StringComparison.Ordinal)).ToDictionary();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddRedditClient();

        services.BuildServiceProvider().GetRequiredService<IStartupValidator>().Validate();
    }

    [Fact]
    public void Username_and_password_together_select_the_password_grant()
    {
        Assert.True(Bind(new() { ["Reddit:Username"] = "bot", ["Reddit:Password"] = "pw" }).UsesPasswordGrant);
    }

    [Fact]
    public void A_malformed_rate_limit_delay_alias_is_reported()
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Bind(new() { ["Reddit:rate_limit_delay"] = "fast" }));

        Assert.Contains("rate_limit_delay", failure.Message);
    }
}
