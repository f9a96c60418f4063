using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Gateway.UnitTests;

/// <summary>What the Gateway exposes by environment: gRPC reflection lists every service to anyone, so production leaves it off.</summary>
public sealed class ExposureTests
{
    private static WebApplicationFactory<Program> Gateway(string environment) => new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
    {
        host.UseEnvironment(environment);
        // Nothing is reached: the requests below never touch PostgreSQL, Redis or Identity.
        host.UseSetting("ConnectionStrings:sentiment-db", "Host=127.0.0.1;Port=1");
        host.UseSetting("ConnectionStrings:redis", "127.0.0.1:1,abortConnect=false");
        host.UseSetting("Gateway:Auth:Authority", "http://127.0.0.1:1");
        host.UseSetting("services:scorer:grpc:0", "http://127.0.0.1:1");
    });

    /// <summary>The gRPC status of a reflection call: 12 (UNIMPLEMENTED) where no such service is mapped.</summary>
    private static async Task<string?> ReflectionAsync(WebApplicationFactory<Program> gateway)
    {
        using var http = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo")
        {
            Content = new ByteArrayContent([]),
        };
        request.Content.Headers.ContentType = new("application/grpc");
        using var response = await http.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        return response.Headers.TryGetValues("grpc-status", out var status) || response.TrailingHeaders.TryGetValues("grpc-status", out status)
            ? status.Single()
            : null;
    }

    [Fact]
    public async Task Reflection_is_off_in_production_and_on_in_development()
    {
        await using var production = Gateway("Production");
        await using var development = Gateway("Development");

        Assert.Equal("12", await ReflectionAsync(production));
        Assert.NotEqual("12", await ReflectionAsync(development));
    }
}
