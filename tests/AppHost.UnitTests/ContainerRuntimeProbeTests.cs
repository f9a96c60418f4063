using AppHost.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace AppHost.UnitTests;

public sealed class ContainerRuntimeProbeTests
{
    [Fact]
    public void A_missing_runtime_is_not_healthy()
    {
        Assert.False(ContainerRuntimeProbe.IsHealthy("no-such-container-runtime-7f3a"));
    }

    [Fact]
    public void A_runtime_whose_info_command_fails_is_not_healthy()
    {
        // 'false info' exits 1 at once, as 'docker info' does with a client but no engine.
        Assert.False(ContainerRuntimeProbe.IsHealthy("false"));
    }

    [Fact]
    public void A_runtime_whose_info_command_succeeds_is_healthy()
    {
        Assert.True(ContainerRuntimeProbe.IsHealthy("true"));
    }

    [Fact]
    public void The_runtime_follows_aspires_setting()
    {
        var podman = new ConfigurationBuilder()
            .AddInMemoryCollection([new("ASPIRE_CONTAINER_RUNTIME", "podman")])
            .Build();

        Assert.Equal("podman", ContainerRuntimeProbe.ConfiguredRuntime(podman));
        Assert.Equal("docker", ContainerRuntimeProbe.ConfiguredRuntime(new ConfigurationBuilder().Build()));
    }
}
