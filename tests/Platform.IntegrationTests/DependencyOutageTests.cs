using System.Net;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Platform.IntegrationTests;

/// <summary>
/// Kills a real server process (SIGKILL, as a crash would) and checks that the services depending on it
/// report Unhealthy without crashing, that the AppHost starts the crashed server again by itself
/// (<c>Infrastructure:Restart</c>), and that the services are Healthy again once it is back; and how soon the
/// pipeline is back at speed: the same batch of items is queued before the outage and the moment the server
/// reports healthy again, and the time each takes to be stored is written to the test's output (recorded in
/// docs/benchmarks.md). Every item is stored exactly once; the times are measurements, not assertions.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class DependencyOutageTests(PlatformFixture platform, ITestOutputHelper output)
{
    private const int Items = 200;
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    [Fact]
    public Task Postgres_outage_turns_its_dependents_unhealthy_until_it_returns() =>
        AssertOutageAsync(
            ResourceNames.PostgresServer,
            pidFile: "postmaster.pid",
            dependents: [ResourceNames.Identity, ResourceNames.Collector, ResourceNames.Gateway],
            unaffected: [ResourceNames.Scorer]);

    [Fact]
    public Task Redis_outage_turns_its_dependents_unhealthy_until_it_returns() =>
        AssertOutageAsync(
            ResourceNames.Redis,
            pidFile: "redis.pid",
            dependents: [ResourceNames.Collector, ResourceNames.Gateway],
            unaffected: [ResourceNames.Identity, ResourceNames.Scorer]);

    private async Task AssertOutageAsync(string server, string pidFile, string[] dependents, string[] unaffected)
    {
        var before = await PipelineTiming.TimeToStoreAsync(platform, Items, $"{server} up", Deadline);
        var process = ExecutablePid(server);
        var pid = int.Parse(File.ReadLines(Path.Combine(platform.ServerDirectory(server), pidFile)).First().Trim());
        System.Diagnostics.Process.GetProcessById(pid).Kill();

        try
        {
            foreach (var service in dependents)
            {
                Assert.True(await Eventually.HoldsAsync(ct => HealthIsAsync(service, HttpStatusCode.ServiceUnavailable, ct), Deadline),
                    $"{service} did not report Unhealthy while {server} was down");
            }

            foreach (var service in unaffected)
            {
                Assert.True(await HealthIsAsync(service, HttpStatusCode.OK, CancellationToken.None),
                    $"{service} does not depend on {server} but is not Healthy");
            }

            foreach (var service in dependents)
            {
                Assert.True(platform.App.ResourceNotifications.TryGetCurrentState(service, out var state));
                Assert.Equal(KnownResourceStates.Running, state.Snapshot.State?.Text);
            }
        }
        finally
        {
            await RestartedByTheAppHostAsync(server, process);
        }

        // From the moment the server reports healthy: the services reconnect (Redis' multiplexer, Npgsql's pool) and the
        // workers' backoff (at most Collector:Workers:MaxBackoff) ends on its own.
        var after = await PipelineTiming.TimeToStoreAsync(platform, Items, $"{server} back", Deadline);
        output.WriteLine($"{Items} items stored in {before.TotalSeconds:F1} s before the outage, {after.TotalSeconds:F1} s from {server} reporting healthy again");

        foreach (var service in dependents)
        {
            Assert.True(await Eventually.HoldsAsync(ct => HealthIsAsync(service, HttpStatusCode.OK, ct), Deadline),
                $"{service} did not recover after {server} came back");
        }
    }

    /// <summary>Nobody starts the server here: the AppHost's crash restarter does, after its delay, as a new process.</summary>
    private async Task RestartedByTheAppHostAsync(string server, int crashedProcess)
    {
        var notifications = platform.App.ResourceNotifications;
        using var timeout = new CancellationTokenSource(Deadline);

        await notifications.WaitForResourceAsync(server, e => e.Snapshot.State?.Text == KnownResourceStates.Running
            && PidOf(e.Snapshot) is > 0 and var current && current != crashedProcess, timeout.Token);
        await notifications.WaitForResourceHealthyAsync(server, timeout.Token);
    }

    /// <summary>The process the orchestrator runs for a resource (the server itself, or the script that starts it).</summary>
    private int ExecutablePid(string resource) =>
        platform.App.ResourceNotifications.TryGetCurrentState(resource, out var state) && PidOf(state.Snapshot) is > 0 and var pid
            ? pid
            : throw new InvalidOperationException($"{resource} has no process id");

    private static int PidOf(CustomResourceSnapshot snapshot) =>
        snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is { } pid
            ? Convert.ToInt32(pid, System.Globalization.CultureInfo.InvariantCulture)
            : 0;

    private async Task<bool> HealthIsAsync(string service, HttpStatusCode expected, CancellationToken ct)
    {
        using var http = platform.App.CreateHttpClient(service, "http");
        using var response = await http.GetAsync("/health", ct);
        return response.StatusCode == expected;
    }
}
