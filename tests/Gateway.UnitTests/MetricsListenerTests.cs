using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Gateway.UnitTests;

/// <summary>
/// The services' shared endpoints (ServiceDefaults' <c>MapDefaultEndpoints</c>) on a real Kestrel with two listeners:
/// with <c>Metrics:Port</c> set, as the Kubernetes manifests do, <c>/metrics</c> answers only on that listener and
/// that listener answers nothing but the infrastructure paths; unset, as in local runs, <c>/metrics</c> is on the
/// service's port.
/// </summary>
public sealed class MetricsListenerTests
{
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<WebApplication> StartAsync(int publicPort, int metricsPort, bool separateMetrics)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.Sources.Clear(); // not the test folder's appsettings.json (the Gateway's Kestrel endpoints)
        builder.Configuration.AddInMemoryCollection(separateMetrics
            ? new Dictionary<string, string?> { [Microsoft.Extensions.Hosting.Extensions.MetricsPortKey] = $"{metricsPort}" }
            : []);

        builder.WebHost.UseUrls($"http://127.0.0.1:{publicPort}", $"http://127.0.0.1:{metricsPort}");
        builder.AddServiceDefaults();
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapGet("/api/v1/ping", () => "pong");
        await app.StartAsync();
        return app;
    }

    private static async Task<HttpStatusCode> GetAsync(int port, string path, string? host = null)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}{path}");
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task With_a_metrics_port_metrics_answer_only_there_and_that_port_answers_nothing_else()
    {
        var (publicPort, metricsPort) = (FreePort(), FreePort());
        await using var app = await StartAsync(publicPort, metricsPort, separateMetrics: true);

        Assert.Equal(HttpStatusCode.OK, await GetAsync(metricsPort, "/metrics"));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(metricsPort, "/alive"));
        Assert.Equal(HttpStatusCode.NotFound, await GetAsync(metricsPort, "/api/v1/ping"));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(publicPort, "/api/v1/ping"));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(publicPort, "/alive"));
        Assert.Equal(HttpStatusCode.NotFound, await GetAsync(publicPort, "/metrics"));
        // The Host header is the caller's to write: naming the metrics port in it opens nothing.
        Assert.Equal(HttpStatusCode.NotFound, await GetAsync(publicPort, "/metrics", host: $"127.0.0.1:{metricsPort}"));
    }

    [Fact]
    public async Task Without_a_metrics_port_metrics_are_on_the_services_port()
    {
        var (publicPort, otherPort) = (FreePort(), FreePort());
        await using var app = await StartAsync(publicPort, otherPort, separateMetrics: false);

        Assert.Equal(HttpStatusCode.OK, await GetAsync(publicPort, "/metrics"));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(publicPort, "/api/v1/ping"));
    }
}
