using Gateway.Apis;
using Gateway.Infrastructure;
using Gateway.Services;
using RedditSentiment.Protos.Sentiment.V1;

namespace Gateway.Extensions;

public static class Extensions
{
    /// <summary>
    /// Registers the public API's dependencies: PostgreSQL for reads, Redis for the aggregate cache, the
    /// Scorer's gRPC client, ProblemDetails and the OpenAPI document.
    /// </summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDataSource(ResourceNames.Database);
        builder.AddRedisClient(ResourceNames.Redis);

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SentimentQueries>();
        builder.Services.AddSingleton<AggregateCache>();
        builder.Services.AddOptions<CacheOptions>().BindConfiguration(CacheOptions.SectionName).ValidateOnStart();

        builder.Services.AddGrpcClient<Scorer.ScorerClient>(o => o.Address = new Uri($"http://_grpc.{ResourceNames.Scorer}"));

        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
    }

    public static WebApplication MapApplicationEndpoints(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();

        app.MapOpenApi();
        app.UseSwaggerUI(options =>
        {
            options.SwaggerEndpoint("/openapi/v1.json", "Reddit sentiment API v1");
            options.RoutePrefix = "docs";
        });

        var api = app.MapGroup("/api/v1");
        api.MapSentimentApi();
        api.MapReadsApi();
        api.MapAdminApi();
        return app;
    }
}
