using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AppHost.Infrastructure.Local;

/// <summary>
/// Deletes an unnamed run's data folder once the app has stopped, so ad-hoc runs do not pile up folders.
/// Named runs (<c>Infrastructure:RunName</c>, as <c>./scripts/run</c> uses) keep their data.
/// </summary>
public static class EphemeralRunCleanup
{
    private static readonly TimeSpan ServerExitGrace = TimeSpan.FromSeconds(15);

    /// <summary>The servers remove these files when they have exited.</summary>
    private static readonly string[] PidFiles = ["postmaster.pid", "redis.pid"];

    public static void DeleteOnStop(IDistributedApplicationBuilder builder, string runDirectory)
    {
        builder.Eventing.Subscribe<AfterResourcesCreatedEvent>((@event, _) =>
        {
            var lifetime = @event.Services.GetRequiredService<IHostApplicationLifetime>();
            var logger = @event.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(EphemeralRunCleanup));
            lifetime.ApplicationStopped.Register(() => Delete(runDirectory, logger));
            return Task.CompletedTask;
        });
    }

    private static void Delete(string runDirectory, ILogger logger)
    {
        var deadline = DateTime.UtcNow + ServerExitGrace;
        while (ServerStillRunning(runDirectory) && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(200);
        }

        try
        {
            Directory.Delete(runDirectory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(e, "Could not delete the run's data folder {RunDirectory}", runDirectory);
        }
    }

    private static bool ServerStillRunning(string runDirectory) =>
        Directory.Exists(runDirectory) &&
        Directory.EnumerateDirectories(runDirectory).Any(server => PidFiles.Any(pid => File.Exists(Path.Combine(server, pid))));
}
