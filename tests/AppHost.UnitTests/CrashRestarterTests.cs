using Aspire.Hosting.ApplicationModel;
using AppHost.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace AppHost.UnitTests;

/// <summary>What the AppHost takes for a crash to restart, and its settings; the restart itself runs in DependencyOutageTests.</summary>
public sealed class CrashRestarterTests
{
    private static readonly IResource Server = new ExecutableResource("redis", "redis-server", "/tmp");

    private static CustomResourceSnapshot Snapshot(string state, int? exitCode) =>
        new() { ResourceType = "Executable", Properties = [], State = state, ExitCode = exitCode };

    [Theory]
    [InlineData("Running", "Finished", -1, true)]   // SIGKILL: the orchestrator reports -1
    [InlineData("Running", "Exited", 134, true)]    // an unhandled exception
    [InlineData("Running", "FailedToStart", null, true)]
    [InlineData("Stopping", "Finished", 0, false)]  // Stop on purpose
    [InlineData("Running", "Finished", 0, false)]   // ended by itself, cleanly
    [InlineData("Starting", "FailedToStart", 1, false)] // never ran: restarting would loop
    [InlineData("Running", "Running", null, false)]
    public void A_crash_is_a_process_that_ended_by_itself_while_running(string previous, string state, int? exitCode, bool expected) =>
        Assert.Equal(expected, CrashRestarter.IsCrash(Server, previous, Snapshot(state, exitCode)));

    [Fact]
    public void Containers_are_left_to_their_runtime() =>
        Assert.False(CrashRestarter.IsCrash(new ContainerResource("redis"), "Running", Snapshot("Exited", 137)));

    [Fact]
    public void Settings_default_to_on_after_two_seconds_and_refuse_a_delay_above_its_maximum()
    {
        static RestartSettings Read(params (string Key, string Value)[] settings) => RestartSettings.From(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>($"Infrastructure:Restart:{s.Key}", s.Value))).Build());

        Assert.Equal(new RestartSettings(true, TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(1)), Read());
        Assert.False(Read(("Enabled", "false")).Enabled);
        Assert.Throws<InvalidOperationException>(() => Read(("Delay", "00:05:00")));
    }
}
