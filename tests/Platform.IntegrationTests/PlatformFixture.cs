using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using AppHost.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Platform.IntegrationTests;

/// <summary>
/// Starts the whole app model once per test collection: PostgreSQL and Redis as local processes (the
/// mode this machine needs, forced so runs are alike everywhere) in a data folder of this run's own,
/// and the four services. Disposing it stops everything and deletes the data folder.
/// </summary>
public sealed class PlatformFixture : IAsyncLifetime
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    public static readonly string[] Services =
        [ResourceNames.Identity, ResourceNames.Scorer, ResourceNames.Collector, ResourceNames.Gateway];

    public static readonly string[] AllResources =
        [ResourceNames.PostgresServer, ResourceNames.Database, ResourceNames.Redis, .. Services];

    private readonly string _dataDirectory =
        Path.Combine(Path.GetTempPath(), $"reddit-sentiment-tests-{Environment.UserName}", Guid.NewGuid().ToString("N")[..12]);

    private DistributedApplication? _app;

    public const string RunName = "it";

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The app has not started.");

    /// <summary>The secrets this run gives Identity (as the AppHost's parameters), so tests can sign in.</summary>
    public IdentityTestCredentials Identity { get; } = IdentityTestCredentials.Generate();

    /// <summary>The folder holding a local server's data (its pid file too).</summary>
    public string ServerDirectory(string resourceName) => Path.Combine(_dataDirectory, RunName, resourceName);

    public async Task InitializeAsync()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            [
                "--Infrastructure:Mode=Local",
                $"--Infrastructure:DataDirectory={_dataDirectory}",
                $"--Infrastructure:RunName={RunName}",
                // The services' own console logs are in each resource's log stream; keep the test output readable.
                "--Logging:LogLevel:Default=Warning",
                // A crash the outage tests cause is restarted by the AppHost after 15 s: long enough to see its
                // dependants turn Unhealthy first.
                "--Infrastructure:Restart:Delay=00:00:15",
                "--Logging:LogLevel:AppHost.Resources=Warning",
                // Resource health checks fail by design while services start; readiness is asserted instead.
                "--Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks=None",
                $"--Parameters:{IdentityResourceExtensions.AdminPasswordParameter}={Identity.AdminPassword}",
                $"--Parameters:{IdentityResourceExtensions.ServiceClientSecretParameter}={Identity.ServiceClientSecret}",
                $"--Parameters:{IdentityResourceExtensions.BulkClientSecretParameter}={Identity.BulkClientSecret}",
            ],
            (options, _) => options.DisableDashboard = true);

        // Without the dashboard nothing listens on the OTLP endpoint the AppHost still hands out, and each
        // service would spend about ten seconds retrying its export when stopped: longer than the
        // orchestrator waits, so a restart command fails. Prometheus (/metrics) is unaffected.
        foreach (var project in builder.Resources.OfType<ProjectResource>())
        {
            builder.CreateResourceBuilder(project).WithEnvironment("OTEL_EXPORTER_OTLP_ENDPOINT", "");
        }

        // A user of the tests' own, so locking it out never locks the admin; and a short rate-limit window,
        // so the test that exhausts it costs seconds, with room for the other token tests inside one window.
        builder.CreateResourceBuilder<ProjectResource>(ResourceNames.Identity)
            .WithEnvironment("Identity__Users__0__UserName", Identity.LockoutUserName)
            .WithEnvironment("Identity__Users__0__Password", Identity.LockoutUserPassword)
            .WithEnvironment("Identity__Lockout__MaxFailedAttempts", IdentityTestCredentials.MaxFailedAttempts.ToString())
            .WithEnvironment("Identity__RateLimit__PermitLimit", IdentityTestCredentials.TokenRequestsPerWindow.ToString())
            .WithEnvironment("Identity__RateLimit__Window", IdentityTestCredentials.RateLimitWindow.ToString());

        // Tracked keywords are evaluated every second, so a test's shift shows at once.
        builder.CreateResourceBuilder<ProjectResource>(ResourceNames.Gateway).WithEnvironment("Gateway__Alerts__Interval", "00:00:01");

        _app = await builder.BuildAsync();

        using var timeout = new CancellationTokenSource(StartTimeout);
        await _app.StartAsync(timeout.Token);
        await Task.WhenAll(AllResources.Select(name => _app.ResourceNotifications.WaitForResourceHealthyAsync(name, timeout.Token)));
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A server still flushing as it exits; the folder is under the temp directory anyway.
        }
    }
}

/// <summary>Fresh secrets per run: nothing the tests sign in with is committed.</summary>
public sealed record IdentityTestCredentials(
    string AdminPassword, string ServiceClientSecret, string BulkClientSecret, string LockoutUserName, string LockoutUserPassword)
{
    public const int MaxFailedAttempts = 5;
    public const int TokenRequestsPerWindow = 40;
    public static readonly TimeSpan RateLimitWindow = TimeSpan.FromSeconds(5);

    public static IdentityTestCredentials Generate() =>
        new(Secret(), Secret(), Secret(), "lockout-test-user", Secret());

    // Letters of both cases and digits, 34 characters: Identity's password policy accepts it.
    private static string Secret() => $"Aa{Guid.NewGuid():N}";
}

[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<PlatformFixture>
{
    public const string Name = "platform";
}
