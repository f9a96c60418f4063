using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Collector.Queues;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace Benchmarks;

/// <summary>
/// The whole app model started for a benchmark, as the integration tests start it (local PostgreSQL and
/// Redis in a throw-away folder), with per-service overrides through the AppHost's <c>ServiceSettings</c>.
/// </summary>
public sealed class AppHarness : IAsyncDisposable
{
    private readonly string _dataDirectory;

    private AppHarness(DistributedApplication app, string dataDirectory, string adminPassword, string serviceSecret)
    {
        _dataDirectory = dataDirectory;
        App = app;
        AdminPassword = adminPassword;
        ServiceClientSecret = serviceSecret;
    }

    public DistributedApplication App { get; }

    public string AdminPassword { get; }

    public string ServiceClientSecret { get; }

    public static async Task<AppHarness> StartAsync(params string[] serviceSettings)
    {
        var adminPassword = $"Aa{Guid.NewGuid():N}";
        var serviceSecret = $"Aa{Guid.NewGuid():N}";
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"reddit-sentiment-bench-{Environment.UserName}", Guid.NewGuid().ToString("N")[..8]);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            [
                "--Infrastructure:Mode=Local",
                $"--Infrastructure:DataDirectory={dataDirectory}",
                "--Infrastructure:RunName=bench",
                "--Logging:LogLevel:Default=Warning",
                "--Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks=None",
                $"--Parameters:identity-admin-password={adminPassword}",
                $"--Parameters:identity-service-client-secret={serviceSecret}",
                $"--Parameters:identity-bulk-client-secret=Aa{Guid.NewGuid():N}",
                .. serviceSettings.Select(s => $"--ServiceSettings:{s}"),
            ],
            (options, _) => options.DisableDashboard = true);

        // No dashboard runs to receive telemetry, as in the integration tests: without this every service would
        // keep exporting OTLP to a closed port, and record traces for it. Prometheus metrics stay on.
        foreach (var project in builder.Resources.OfType<ProjectResource>())
        {
            builder.CreateResourceBuilder(project).WithEnvironment("OTEL_EXPORTER_OTLP_ENDPOINT", "");
        }

        var app = await builder.BuildAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await app.StartAsync(timeout.Token);
        string[] resources = [ResourceNames.Database, ResourceNames.Redis, ResourceNames.Identity, ResourceNames.Scorer, ResourceNames.Collector, ResourceNames.Gateway];
        await Task.WhenAll(resources.Select(r => app.ResourceNotifications.WaitForResourceHealthyAsync(r, timeout.Token)));
        return new AppHarness(app, dataDirectory, adminPassword, serviceSecret);
    }

    /// <summary>
    /// The address a service itself listens on, past the orchestrator's local proxy (a development-time hop
    /// that a Kubernetes Service does not have; on two cores its copying would be measured as the service's):
    /// the Kestrel endpoint URL the orchestrator gave the service, as the resource's environment shows it.
    /// </summary>
    public Uri DirectEndpoint(string resource, string endpoint)
    {
        var name = $"Kestrel__Endpoints__{endpoint}__Url";
        if (!App.ResourceNotifications.TryGetCurrentState(resource, out var state)
            || state.Snapshot.EnvironmentVariables.FirstOrDefault(v => v.Name == name)?.Value is not { } url)
        {
            throw new InvalidOperationException($"{resource} has no {name} in its environment.");
        }

        return new Uri(url);
    }

    /// <summary>Runs <paramref name="enqueue"/> and waits until the workers have processed <paramref name="items"/> more items.</summary>
    public static async Task ProcessAsync(IDatabase redis, long items, Func<Task> enqueue)
    {
        var before = (long)await redis.StringGetAsync(RedisKeys.ProcessedCount);
        await enqueue();
        while ((long)await redis.StringGetAsync(RedisKeys.ProcessedCount) - before < items)
        {
            await Task.Delay(100);
        }
    }

    public async Task<string> ServiceTokenAsync()
    {
        using var http = App.CreateHttpClient(ResourceNames.Identity, "http");
        using var response = await http.PostAsync(TokenEndpoints.Token, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = PlatformClients.Service,
            ["client_secret"] = ServiceClientSecret,
            ["scope"] = "sentiment.read sentiment.score",
        }));
        response.EnsureSuccessStatusCode();
        using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("access_token").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
