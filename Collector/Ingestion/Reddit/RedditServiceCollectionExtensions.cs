using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Collector.Ingestion.Reddit;

public static class RedditServiceCollectionExtensions
{
    /// <summary>The named HttpClient both the authorizer and the client send through.</summary>
    public const string HttpClientName = "Collector.Ingestion.Reddit";

    /// <summary>
    /// Registers the Reddit client: options from the <c>Reddit</c> section (validated at start), the
    /// authorizer, rate limiter, retry policy, mapper, client and poller as singletons, and an
    /// <see cref="InMemoryCheckpointStore"/> unless an <see cref="ICheckpointStore"/> is registered already.
    /// </summary>
    /// <remarks>
    /// The client's HttpClient has no resilience handler: <c>AddServiceDefaults</c> adds the standard one to
    /// every HttpClient (<c>ConfigureHttpClientDefaults</c>), and its retries, timeouts and circuit breaker
    /// would run inside each attempt of <see cref="RedditRetryPolicy"/>, multiplying requests against a
    /// rate-limited API and hiding 429s from the limiter. <c>RemoveAllResilienceHandlers</c> takes it out
    /// whatever the order of registration. Redirects are not followed (Reddit redirects a missing subreddit
    /// to a search page), and the per-attempt timeout is <see cref="RedditOptions.RequestTimeout"/>.
    /// </remarks>
    /// <returns>The HttpClient's builder, for whatever else the host adds (a proxy, handlers).</returns>
    public static IHttpClientBuilder AddRedditClient(this IServiceCollection services, string sectionPath = RedditOptions.SectionName)
    {
        services.AddOptions<RedditOptions>()
            .BindConfiguration(sectionPath)
            .Configure<IConfiguration>((settings, configuration) => ApplyRateLimitDelayAlias(settings, configuration.GetSection(sectionPath)))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ICheckpointStore, InMemoryCheckpointStore>();
        services.TryAddSingleton<IRedditThingMapper, ThingMapper>();
        services.TryAddSingleton<RedditAuthorizer>();
        services.TryAddSingleton<RedditRateLimiter>();
        services.TryAddSingleton<RedditRetryPolicy>();
        services.TryAddSingleton<RedditClient>();
        services.TryAddSingleton<SubredditPoller>();
        services.AddOptions<ThreadOptions>().BindConfiguration(ThreadOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<ThreadReader>();

        var http = services.AddHttpClient(HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.All,
            })
            // RedditClient enforces RequestTimeout per attempt; HttpClient's 100 s default would only confuse.
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan);

#pragma warning disable EXTEXP0001 // Experimental in Microsoft.Extensions.Http.Resilience 10.x; the documented way to opt one client out of ConfigureHttpClientDefaults' handler.
        http.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001

        return http;
    }

    // Operators know the minimum delay as rate_limit_delay, in seconds.
    private static void ApplyRateLimitDelayAlias(RedditOptions settings, IConfigurationSection section)
    {
        var alias = section[RedditOptions.RateLimitDelayAliasKey];
        if (string.IsNullOrWhiteSpace(alias))
        {
            return;
        }

        if (!double.TryParse(alias, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            || !double.IsFinite(seconds) || seconds < 0 || seconds > 60)
        {
            throw new OptionsValidationException(
                nameof(RedditOptions), typeof(RedditOptions),
                [$"{section.Path}:{RedditOptions.RateLimitDelayAliasKey} must be seconds between 0 and 60, not '{alias}'."]);
        }

        settings.RateLimitDelay = TimeSpan.FromSeconds(seconds);
    }
}
