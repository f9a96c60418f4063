using Microsoft.Extensions.DependencyInjection;

namespace AppHost.Infrastructure.Local;

/// <summary>
/// Adds PostgreSQL and Redis as local processes with the same connection strings and health semantics as
/// Aspire's container resources, so the rest of the app model does not know which mode it runs in.
/// </summary>
public static class LocalServerExtensions
{
    public static IResourceBuilder<LocalPostgresServerResource> AddLocalPostgres(
        this IDistributedApplicationBuilder builder, string name, IResourceBuilder<ParameterResource> password, string dataDirectory, int? port)
    {
        var script = Path.Combine(builder.AppHostDirectory, "Infrastructure", "Local", "postgres-server.sh");
        var server = new LocalPostgresServerResource(name, script, builder.AppHostDirectory, password.Resource);

        // A real protocol round trip: the orchestrator's proxy accepts TCP before the server is up.
        var healthCheckKey = builder.AddNpgsqlHealthCheck(server, $"{name}_check", "postgres");

        return builder.AddResource(server)
            .WithArgs(script)
            .WithEndpoint(port: port, name: LocalPostgresServerResource.PrimaryEndpointName, scheme: "tcp", env: "PGPORT")
            .WithEnvironment("PGDATA_DIR", Path.Combine(dataDirectory, name))
            .WithEnvironment("APP_DB_NAME", ResourceNames.DatabaseName)
            .WithEnvironment("APP_DB_USER", ResourceNames.DatabaseUser)
            .WithEnvironment("APP_DB_PASSWORD", password)
            .WithHealthCheck(healthCheckKey);
    }

    public static IResourceBuilder<LocalPostgresDatabaseResource> AddDatabase(
        this IResourceBuilder<LocalPostgresServerResource> server, string name, string databaseName)
    {
        var database = new LocalPostgresDatabaseResource(name, databaseName, server.Resource);
        var healthCheckKey = server.ApplicationBuilder.AddNpgsqlHealthCheck(database, $"{name}_check", database: null);

        // Aspire mirrors a parent's state onto its children for containers only; do it for our process,
        // or the database never leaves 'Unknown' and everything that waits for it waits forever.
        server.ApplicationBuilder.Eventing.Subscribe<InitializeResourceEvent>(database, (@event, ct) =>
        {
            _ = MirrorParentStateAsync(@event.Notifications, database, ct);
            return Task.CompletedTask;
        });

        return server.ApplicationBuilder.AddResource(database).WithHealthCheck(healthCheckKey);
    }

    public static IResourceBuilder<LocalRedisResource> AddLocalRedis(
        this IDistributedApplicationBuilder builder, string name, IResourceBuilder<ParameterResource> password, string dataDirectory, int? port)
    {
        var script = Path.Combine(builder.AppHostDirectory, "Infrastructure", "Local", "redis-server.sh");
        var redis = new LocalRedisResource(name, script, builder.AppHostDirectory, password.Resource);

        var connectionString = builder.ConnectionStringWhenAvailable(redis);
        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().AddRedis(_ => connectionString(), name: healthCheckKey);

        return builder.AddResource(redis)
            .WithArgs(script)
            .WithEndpoint(port: port, name: LocalRedisResource.PrimaryEndpointName, scheme: "tcp", env: "REDIS_PORT")
            .WithEnvironment("REDIS_DATA_DIR", Path.Combine(dataDirectory, name))
            .WithEnvironment("REDIS_PASSWORD", password)
            .WithHealthCheck(healthCheckKey);
    }

    private static async Task MirrorParentStateAsync(
        ResourceNotificationService notifications, LocalPostgresDatabaseResource database, CancellationToken ct)
    {
        await foreach (var update in notifications.WatchAsync(ct).ConfigureAwait(false))
        {
            if (update.Resource != database.Parent)
            {
                continue;
            }

            await notifications.PublishUpdateAsync(database, state => state with
            {
                ResourceType = "PostgresDatabase",
                State = update.Snapshot.State,
                StartTimeStamp = update.Snapshot.StartTimeStamp,
                StopTimeStamp = update.Snapshot.StopTimeStamp,
                Properties = [.. state.Properties.Where(p => p.Name != "DatabaseName"), new("DatabaseName", database.DatabaseName)],
            }).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Registers an Npgsql health check for a resource whose connection string is known only once its
    /// endpoints are allocated. <paramref name="database"/> overrides the database it connects to.
    /// </summary>
    private static string AddNpgsqlHealthCheck(
        this IDistributedApplicationBuilder builder, IResourceWithConnectionString resource, string key, string? database)
    {
        var connectionString = builder.ConnectionStringWhenAvailable(resource);
        builder.Services.AddHealthChecks().AddNpgSql(
            _ => connectionString(),
            name: key,
            configure: database is null ? null : connection => connection.ConnectionString += $";Database={database}");

        return key;
    }

    /// <summary>
    /// A resource's connection string once its endpoints are allocated (health checks are built before that);
    /// asking earlier is a programming error, said plainly.
    /// </summary>
    private static Func<string> ConnectionStringWhenAvailable(this IDistributedApplicationBuilder builder, IResourceWithConnectionString resource)
    {
        string? connectionString = null;
        builder.Eventing.Subscribe<ConnectionStringAvailableEvent>(resource, async (_, ct) =>
            connectionString = await resource.ConnectionStringExpression.GetValueAsync(ct).ConfigureAwait(false));
        return () => connectionString ?? throw new InvalidOperationException($"The connection string of '{resource.Name}' is not available yet.");
    }
}
