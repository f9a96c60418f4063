using Collector.Ingestion.Reddit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Collector.UnitTests.Reddit;

/// <summary>The client as the Collector registers it (<c>AddRedditClient</c>), pointed at a fake server.</summary>
internal sealed class RedditTestHost : IAsyncDisposable
{
    public const string UserAgent = "linux:com.example.sentiment:1.2.3 (by /u/sentiment_dev)";

    private readonly ServiceProvider _services;

    private RedditTestHost(ServiceProvider services, TimeProvider clock)
    {
        _services = services;
        Clock = clock;
    }

    public TimeProvider Clock { get; }

    public RedditClient Client => Get<RedditClient>();

    public SubredditPoller Poller => Get<SubredditPoller>();

    public RedditAuthorizer Authorizer => Get<RedditAuthorizer>();

    public RedditOptions Options => Get<IOptions<RedditOptions>>().Value;

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    /// <param name="settings">Changes to the <c>Reddit</c> section (keys without the prefix); null removes a key.</param>
    /// <param name="before">Registrations made before <c>AddRedditClient</c> (a checkpoint store, defaults).</param>
    /// <param name="after">Registrations made after it.</param>
    public static RedditTestHost Create(
        Uri serverUrl,
        TimeProvider? clock = null,
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? before = null,
        Action<IServiceCollection>? after = null)
    {
        var section = new Dictionary<string, string?>
        {
            ["ApiBaseUrl"] = serverUrl.ToString(),
            ["AuthBaseUrl"] = serverUrl.ToString(),
            ["ClientId"] = FakeRedditServer.ClientId,
            ["ClientSecret"] = FakeRedditServer.ClientSecret,
            ["UserAgentPlatform"] = "linux",
            ["AppId"] = "com.example.sentiment",
            ["Version"] = "1.2.3",
            ["RedditUser"] = "sentiment_dev",
            ["Subreddits:0"] = "dotnet",
            ["RateLimitDelay"] = "00:00:00",
            ["MaxRetries"] = "3",
            ["RequestTimeout"] = "00:00:10",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                section.Remove(key);
            }
            else
            {
                section[key] = value;
            }
        }

        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(section.Select(pair => KeyValuePair.Create($"Reddit:{pair.Key}", pair.Value)))
            .Build();

        clock ??= new SkippingClock();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddSingleton(clock);
        before?.Invoke(services);
        services.AddRedditClient();
        after?.Invoke(services);

        var host = new RedditTestHost(services.BuildServiceProvider(validateScopes: true), clock);

        // Exact delays: full jitter at its top, so retry n waits 2^n seconds.
        host.Get<RedditRetryPolicy>().Jitter = static () => 1;
        return host;
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
