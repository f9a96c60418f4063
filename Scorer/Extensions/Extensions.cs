namespace Scorer.Extensions;

public static class Extensions
{
    /// <summary>
    /// Registers the gRPC server and the standard <c>grpc.health.v1</c> service, which reports the same
    /// readiness as <c>/health</c>.
    /// </summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddGrpc();
        builder.Services.AddGrpcHealthChecks();
    }

    public static WebApplication MapApplicationEndpoints(this WebApplication app)
    {
        app.MapGrpcHealthChecksService();
        return app;
    }
}
