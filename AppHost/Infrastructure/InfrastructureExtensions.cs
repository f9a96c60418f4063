using AppHost.Infrastructure.Local;

namespace AppHost.Infrastructure;

/// <summary>The platform's stateful dependencies, whichever way they run.</summary>
public sealed record PlatformInfrastructure(
    IResourceBuilder<IResourceWithConnectionString> Database,
    IResourceBuilder<IResourceWithConnectionString> Redis);

public static class InfrastructureExtensions
{
    /// <summary>
    /// Adds PostgreSQL (database <c>reddit_sentiment</c>, role <c>reddit_user</c>) and Redis, each with a
    /// generated password parameter: Aspire's containers when a container runtime is healthy (and always
    /// when publishing manifests), else the Debian binaries as local processes.
    /// </summary>
    public static PlatformInfrastructure AddPlatformInfrastructure(this IDistributedApplicationBuilder builder)
    {
        var settings = InfrastructureSettings.From(builder.Configuration, TimeProvider.System);

        // Generated once and kept in the AppHost's user secrets, so a persistent local data directory
        // and the password it was initialised with stay in step.
        var postgresPassword = builder.AddParameter("postgres-password",
            new GenerateParameterDefault { MinLength = 24, Special = false }, secret: true, persist: true);
        var redisPassword = builder.AddParameter("redis-password",
            new GenerateParameterDefault { MinLength = 24, Special = false }, secret: true, persist: true);

        return ResolveMode(builder, settings) switch
        {
            InfrastructureMode.Local => AddLocal(builder, settings, postgresPassword, redisPassword),
            _ => AddContainers(builder, settings, postgresPassword, redisPassword),
        };
    }

    private static InfrastructureMode ResolveMode(IDistributedApplicationBuilder builder, InfrastructureSettings settings)
    {
        // Manifests describe a deployment, which always uses images, never this machine's binaries.
        if (builder.ExecutionContext.IsPublishMode || settings.Mode == InfrastructureMode.Containers)
        {
            return InfrastructureMode.Containers;
        }

        if (settings.Mode == InfrastructureMode.Local)
        {
            return InfrastructureMode.Local;
        }

        var runtime = ContainerRuntimeProbe.ConfiguredRuntime(builder.Configuration);
        return ContainerRuntimeProbe.IsHealthy(runtime) ? InfrastructureMode.Containers : InfrastructureMode.Local;
    }

    private static PlatformInfrastructure AddContainers(
        IDistributedApplicationBuilder builder,
        InfrastructureSettings settings,
        IResourceBuilder<ParameterResource> postgresPassword,
        IResourceBuilder<ParameterResource> redisPassword)
    {
        var user = builder.AddParameter("postgres-user", ResourceNames.DatabaseUser);
        var database = builder.AddPostgres(ResourceNames.PostgresServer, user, postgresPassword, settings.PostgresPort)
            .WithDataVolume()
            .AddDatabase(ResourceNames.Database, ResourceNames.DatabaseName);
        var redis = builder.AddRedis(ResourceNames.Redis, settings.RedisPort, redisPassword)
            .WithDataVolume();

        return new PlatformInfrastructure(database, redis);
    }

    private static PlatformInfrastructure AddLocal(
        IDistributedApplicationBuilder builder,
        InfrastructureSettings settings,
        IResourceBuilder<ParameterResource> postgresPassword,
        IResourceBuilder<ParameterResource> redisPassword)
    {
        Directory.CreateDirectory(settings.RunDirectory);
        if (settings.IsEphemeral)
        {
            EphemeralRunCleanup.DeleteOnStop(builder, settings.RunDirectory);
        }

        Console.WriteLine($"No container runtime in use: PostgreSQL and Redis run as local processes with data in {settings.RunDirectory}");

        var database = builder.AddLocalPostgres(ResourceNames.PostgresServer, postgresPassword, settings.RunDirectory, settings.PostgresPort)
            .AddDatabase(ResourceNames.Database, ResourceNames.DatabaseName);
        var redis = builder.AddLocalRedis(ResourceNames.Redis, redisPassword, settings.RunDirectory, settings.RedisPort);

        return new PlatformInfrastructure(database, redis);
    }
}
