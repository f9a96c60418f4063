namespace Collector.Cli;

/// <summary>
/// The service's container with the environment's settings (and <c>settings</c> on top), built and not started: its
/// hosted workers and pollers stay off, and a command (or a test) takes the services it needs from it.
/// </summary>
public static class CollectorHost
{
    public static WebApplication Build(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateBuilder([]);
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        // Its disconnect notice at exit is not news, and a Redis it cannot reach is the command's one line.
        builder.Logging.AddFilter("StackExchange.Redis", LogLevel.None);
        builder.AddServiceDefaults();
        builder.AddApplicationServices();
        return builder.Build();
    }
}
