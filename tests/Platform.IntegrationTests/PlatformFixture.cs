using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
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
                "--Logging:LogLevel:AppHost.Resources=Warning",
                // Resource health checks fail by design while services start; readiness is asserted instead.
                "--Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks=None",
            ],
            (options, _) => options.DisableDashboard = true);

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

[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<PlatformFixture>
{
    public const string Name = "platform";
}
