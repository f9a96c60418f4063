using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace AppHost.Infrastructure;

/// <summary>
/// The <c>Infrastructure:Restart</c> settings: whether a crashed service or local server is started again, and after
/// how long (doubling for a process that keeps crashing, up to <see cref="MaxDelay"/>).
/// </summary>
public sealed record RestartSettings(bool Enabled, TimeSpan Delay, TimeSpan MaxDelay)
{
    public static RestartSettings From(IConfiguration configuration)
    {
        var section = configuration.GetSection($"{InfrastructureSettings.SectionName}:Restart");
        var delay = section.GetValue("Delay", TimeSpan.FromSeconds(2));
        var maxDelay = section.GetValue("MaxDelay", TimeSpan.FromSeconds(60));
        return delay >= TimeSpan.Zero && maxDelay >= delay
            ? new RestartSettings(section.GetValue("Enabled", true), delay, maxDelay)
            : throw new InvalidOperationException($"{InfrastructureSettings.SectionName}:Restart: Delay must be 0 or more and at most MaxDelay.");
    }
}

/// <summary>
/// What a supervisor does for the local run, which Aspire does not: a service or local server (PostgreSQL, Redis)
/// whose process ends by itself while running (a crash, a SIGKILL, the OOM killer) is started again. Aspire's
/// Stop (the dashboard's button, the tests' stop command) passes through <c>Stopping</c> and ends with exit code 0:
/// that is left stopped. Containers are left to their runtime's restart policy; Kubernetes restarts pods itself.
/// </summary>
public sealed class CrashRestarter(
    ResourceNotificationService notifications,
    ResourceCommandService commands,
    RestartSettings settings,
    TimeProvider time,
    ILogger<CrashRestarter> logger) : BackgroundService
{
    /// <summary>A process that ran this long since its last restart is taken as recovered: the next crash waits the first delay again.</summary>
    internal static readonly TimeSpan StableAfter = TimeSpan.FromMinutes(2);

    private readonly Dictionary<string, string?> _lastState = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Crashes, DateTimeOffset At)> _restarts = new(StringComparer.Ordinal);

    /// <summary>Whether a state change is a process that ended by itself while it ran.</summary>
    public static bool IsCrash(IResource resource, string? previousState, CustomResourceSnapshot snapshot) =>
        resource is ProjectResource or ExecutableResource
        && previousState == KnownResourceStates.Running
        && snapshot.State?.Text is { } state && KnownResourceStates.TerminalStates.Contains(state)
        && snapshot.ExitCode is not 0;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var update in notifications.WatchAsync(stoppingToken))
        {
            var name = update.Resource.Name;
            var previous = _lastState.GetValueOrDefault(name);
            _lastState[name] = update.Snapshot.State?.Text;
            if (previous == update.Snapshot.State?.Text || !IsCrash(update.Resource, previous, update.Snapshot))
            {
                continue;
            }

            var delay = NextDelay(name);
            logger.LogWarning("{Resource} ended by itself (exit code {ExitCode}); starting it again in {Delay}",
                name, update.Snapshot.ExitCode?.ToString() ?? "unknown", delay);
            _ = RestartAsync(name, delay, stoppingToken);
        }
    }

    private TimeSpan NextDelay(string name)
    {
        var now = time.GetUtcNow();
        var crashes = _restarts.TryGetValue(name, out var last) && now - last.At < StableAfter ? last.Crashes + 1 : 1;
        _restarts[name] = (crashes, now);
        var delay = settings.Delay * Math.Pow(2, crashes - 1);
        return delay < settings.MaxDelay ? delay : settings.MaxDelay;
    }

    private async Task RestartAsync(string name, TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, time, stoppingToken);
            var result = await commands.ExecuteCommandAsync(name, KnownResourceCommands.StartCommand, stoppingToken);
            if (!result.Success)
            {
                logger.LogWarning("Starting {Resource} again failed: {Message}", name, result.Message);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // the app is stopping
        }
    }
}

public static class CrashRestarterExtensions
{
    /// <summary>Starts crashed services and local servers again (<see cref="CrashRestarter"/>) unless <c>Infrastructure:Restart:Enabled</c> is false.</summary>
    public static IDistributedApplicationBuilder AddCrashRestarts(this IDistributedApplicationBuilder builder)
    {
        var settings = RestartSettings.From(builder.Configuration);
        if (settings.Enabled && !builder.ExecutionContext.IsPublishMode)
        {
            builder.Services.AddSingleton(settings);
            builder.Services.TryAddSingleton(TimeProvider.System);
            builder.Services.AddHostedService<CrashRestarter>();
        }

        return builder;
    }
}
