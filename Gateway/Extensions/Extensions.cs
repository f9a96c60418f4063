namespace Gateway.Extensions;

public static class Extensions
{
    /// <summary>Registers the public API's dependencies: PostgreSQL for reads, Redis for caching and sessions.</summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDataSource(ResourceNames.Database);
        builder.AddRedisClient(ResourceNames.Redis);
    }

    public static WebApplication MapApplicationEndpoints(this WebApplication app) => app;
}
