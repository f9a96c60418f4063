using AppHost.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace AppHost.UnitTests;

public sealed class ServiceSettingsTests
{
    [Fact]
    public void The_command_line_and_the_environment_variable_forms_both_reach_the_service()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                // --ServiceSettings:collector:Collector__Workers__Count=4
                ["ServiceSettings:collector:Collector__Workers__Count"] = "4",
                // ServiceSettings__collector__Collector__Workers__BatchSize=128, as the environment provider reads it
                ["ServiceSettings:collector:Collector:Workers:BatchSize"] = "128",
                ["ServiceSettings:scorer:Scorer__Accurate__Precision"] = "fp32",
            })
            .Build();

        Assert.Equal(
            [("Collector__Workers__BatchSize", "128"), ("Collector__Workers__Count", "4")],
            ServiceSettingsExtensions.EnvironmentFor(configuration, "collector"));
        Assert.Empty(ServiceSettingsExtensions.EnvironmentFor(configuration, "gateway"));
    }
}
