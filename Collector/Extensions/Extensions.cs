namespace Collector.Extensions;

public static class Extensions
{
    /// <summary>Registers the ingestion path's dependencies: PostgreSQL for scored items, Redis for queues.</summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDataSource(ResourceNames.Database);
        builder.AddRedisClient(ResourceNames.Redis);
    }

    public static WebApplication MapApplicationEndpoints(this WebApplication app) => app;
}
