using Collector.Infrastructure;
using Collector.Queues;
using Collector.Storage;
using Collector.Workers;
using RedditSentiment.Protos.Sentiment.V1;

namespace Collector.Extensions;

public static class Extensions
{
    /// <summary>
    /// Registers the ingestion path: PostgreSQL (schema migrations and bulk upserts), the Redis queues, the
    /// Scorer's gRPC client and the scoring workers.
    /// </summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDataSource(ResourceNames.Database);
        builder.AddRedisClient(ResourceNames.Redis);

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<CollectorTelemetry>();

        builder.Services.AddSingleton<DatabaseMigrator>();
        builder.Services.AddSingleton<MigrationService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<MigrationService>());
        builder.Services.AddHealthChecks().AddCheck<MigrationService>(MigrationService.HealthCheckName);
        builder.Services.AddSingleton<ScoredItemWriter>();
        builder.Services.AddSingleton<RedisWorkQueue>();

        // The Scorer's h2c endpoint is named "grpc" in the app model (and the Kubernetes service).
        builder.Services.AddGrpcClient<Scorer.ScorerClient>(o => o.Address = new Uri($"http://_grpc.{ResourceNames.Scorer}"));
        builder.Services.AddSingleton<ISentimentScorer, GrpcSentimentScorer>();

        builder.Services.AddOptions<WorkerOptions>()
            .BindConfiguration(WorkerOptions.SectionName)
            .PostConfigure<IConfiguration>((options, configuration) =>
            {
                // The runbook's knobs on the sentiment-workers deployment.
                if (configuration["BATCH_SIZE"] is { Length: > 0 } batchSize)
                {
                    options.BatchSize = int.TryParse(batchSize, out var size) ? size : -1;
                }

                if (configuration["MODEL_TYPE"] is { Length: > 0 } model)
                {
                    options.ModelType = model;
                }
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<ScoringWorker>();
        builder.Services.AddHostedService<ScoringWorkerPool>();
    }

    public static WebApplication MapApplicationEndpoints(this WebApplication app) => app;
}
