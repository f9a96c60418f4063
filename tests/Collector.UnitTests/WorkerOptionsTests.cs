using Collector.Extensions;
using Collector.Workers;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Collector.UnitTests;

public sealed class WorkerOptionsTests
{
    private static WorkerOptions Resolve(params (string Key, string Value)[] settings)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection([
            new("ConnectionStrings:sentiment-db", "Host=localhost;Database=x"),
            new("ConnectionStrings:redis", "localhost:1"),
            .. settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)),
        ]);
        builder.AddApplicationServices();
        using var provider = builder.Services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<WorkerOptions>>().Value;
    }

    [Fact]
    public void The_runbooks_environment_variables_override_the_section()
    {
        var options = Resolve(("Collector:Workers:BatchSize", "10"), ("BATCH_SIZE", "100"), ("MODEL_TYPE", "accurate"));

        Assert.Equal(100, options.BatchSize);
        Assert.Equal("accurate", options.ModelType);
    }

    [Theory]
    [InlineData("MODEL_TYPE", "huge")]
    [InlineData("BATCH_SIZE", "0")]
    [InlineData("BATCH_SIZE", "lots")]
    public void Bad_settings_fail_with_a_clear_message(string key, string value)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve((key, value)));

        Assert.Contains(key == "MODEL_TYPE" ? "MODEL_TYPE" : "BatchSize", error.Message);
    }
}
