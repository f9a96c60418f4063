using Microsoft.Extensions.Time.Testing;
using AppHost.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace AppHost.UnitTests;

public sealed class InfrastructureSettingsTests
{
    private static readonly TimeProvider Clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 13, 0, 0, TimeSpan.Zero));

    private static InfrastructureSettings Read(params (string Key, string Value)[] settings) =>
        InfrastructureSettings.From(
            new ConfigurationBuilder()
                .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
                .Build(),
            Clock);

    [Fact]
    public void Mode_defaults_to_auto()
    {
        Assert.Equal(InfrastructureMode.Auto, Read().Mode);
    }

    [Theory]
    [InlineData("local", InfrastructureMode.Local)]
    [InlineData("Containers", InfrastructureMode.Containers)]
    [InlineData("AUTO", InfrastructureMode.Auto)]
    public void Mode_is_read_case_insensitively(string text, InfrastructureMode expected)
    {
        Assert.Equal(expected, Read(("Infrastructure:Mode", text)).Mode);
    }

    [Fact]
    public void Unknown_mode_fails_with_the_allowed_values()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Read(("Infrastructure:Mode", "kubernetes")));

        Assert.Contains("'kubernetes'", error.Message);
        Assert.Contains("Local", error.Message);
    }

    [Fact]
    public void Runs_without_a_name_get_distinct_folders()
    {
        var first = Read(("Infrastructure:DataDirectory", "/tmp/data"));
        var second = Read(("Infrastructure:DataDirectory", "/tmp/data"));

        Assert.NotEqual(first.RunDirectory, second.RunDirectory);
        Assert.True(first.IsEphemeral);
        Assert.StartsWith("/tmp/data/run-20261128-130000-", first.RunDirectory);
    }

    [Fact]
    public void A_named_run_reuses_its_folder()
    {
        var settings = Read(("Infrastructure:DataDirectory", "/tmp/data"), ("Infrastructure:RunName", "dev"));

        Assert.Equal("/tmp/data/dev", settings.RunDirectory);
        Assert.False(settings.IsEphemeral);
    }

    [Theory]
    [InlineData("..")]
    [InlineData("../etc")]
    [InlineData("a/b")]
    [InlineData("with space")]
    public void Run_names_cannot_escape_the_data_directory(string runName)
    {
        Assert.Throws<InvalidOperationException>(() => Read(("Infrastructure:RunName", runName)));
    }

    [Fact]
    public void Relative_data_directories_are_made_absolute()
    {
        var settings = Read(("Infrastructure:DataDirectory", "relative/data"));

        Assert.True(Path.IsPathRooted(settings.DataDirectory));
    }

    [Fact]
    public void Ports_are_random_unless_set()
    {
        var random = Read();
        var fixedPorts = Read(("Infrastructure:PostgresPort", "15432"), ("Infrastructure:RedisPort", "16379"));

        Assert.Null(random.PostgresPort);
        Assert.Null(random.RedisPort);
        Assert.Equal(15432, fixedPorts.PostgresPort);
        Assert.Equal(16379, fixedPorts.RedisPort);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("70000")]
    [InlineData("http")]
    public void Invalid_ports_fail_at_start(string port)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Read(("Infrastructure:PostgresPort", port)));

        Assert.Contains("PostgresPort", error.Message);
    }

}
