using System.Net;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace Platform.IntegrationTests;

[Collection(PlatformCollection.Name)]
public sealed class PlatformHealthTests(PlatformFixture platform)
{
    public static TheoryData<string> Services => new(PlatformFixture.Services);

    [Fact]
    public void Every_resource_is_running_and_healthy()
    {
        foreach (var name in PlatformFixture.AllResources)
        {
            Assert.True(platform.App.ResourceNotifications.TryGetCurrentState(name, out var resource), $"{name} is not in the app model");
            Assert.Equal(KnownResourceStates.Running, resource.Snapshot.State?.Text);
            Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, resource.Snapshot.HealthStatus);
        }
    }

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Service_reports_ready_and_alive(string service)
    {
        using var http = platform.App.CreateHttpClient(service, "http");

        var health = await http.GetAsync("/health");
        var alive = await http.GetAsync("/alive");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Healthy", await health.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Service_exposes_prometheus_metrics(string service)
    {
        using var http = platform.App.CreateHttpClient(service, "http");
        (await http.GetAsync("/health")).EnsureSuccessStatusCode();

        // The exporter caches a scrape briefly; poll until the request above is in it.
        string body = "";
        var scraped = await Eventually.HoldsAsync(async ct =>
        {
            var response = await http.GetAsync("/metrics", ct);
            body = await response.Content.ReadAsStringAsync(ct);
            return response.IsSuccessStatusCode && body.Contains("http_server_request_duration_seconds_bucket");
        }, TimeSpan.FromSeconds(30));

        Assert.True(scraped, $"/metrics of {service} has no ASP.NET Core request histogram:\n{body[..Math.Min(body.Length, 2000)]}");
        Assert.Contains("# TYPE ", body);
        Assert.Contains("dotnet_gc_collections_total", body);
    }

    [Fact]
    public async Task Scorer_serves_grpc_health_over_http2()
    {
        var endpoint = platform.App.GetEndpoint(ResourceNames.Scorer, "grpc");
        using var channel = GrpcChannel.ForAddress(endpoint);
        var health = new Health.HealthClient(channel);

        var reply = await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(30));

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);
    }
}
