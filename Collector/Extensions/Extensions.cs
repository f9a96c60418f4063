using Collector.Infrastructure;
using Collector.Ingestion;
using Collector.Ingestion.Dumps;
using Collector.Ingestion.Reddit;
using Collector.Ingestion.Refresh;
using Collector.Ingestion.Threads;
using Collector.Validation;
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
        // A connection attempt to a PostgreSQL that does not answer gives up after 3 s, not Npgsql's 15: the workers
        // retry anyway, and each attempt is how late they may notice the server is back.
        builder.AddNpgsqlDataSource(ResourceNames.Database,
            configureDataSourceBuilder: dataSource => dataSource.ConnectionStringBuilder.Timeout = Math.Min(dataSource.ConnectionStringBuilder.Timeout, 3));
        builder.AddRedisClient(ResourceNames.Redis);

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<CollectorTelemetry>();

        builder.Services.AddSingleton<DatabaseMigrator>();
        builder.Services.AddSingleton<MigrationService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<MigrationService>());
        builder.Services.AddHostedService<PartitionMaintenanceService>();
        builder.Services.AddHostedService<RollupFolder>();
        builder.Services.AddHealthChecks().AddCheck<MigrationService>(MigrationService.HealthCheckName);
        builder.Services.AddSingleton<ScoredItemWriter>();
        builder.Services.AddSingleton<RollupCheck>();
        builder.Services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ItemPartitions>();
        builder.Services.AddSingleton<RedisWorkQueue>();

        builder.Services.AddScorerClient();
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

        builder.AddIngestion();
    }

    /// <summary>
    /// Sources, validation and the pipeline into the queues. Live polling of the Reddit API runs only where
    /// API credentials are configured (<c>Reddit:ClientId</c>); dump files are ingested by the <c>ingest</c>
    /// command.
    /// </summary>
    private static void AddIngestion(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<IngestionOptions>().BindConfiguration(IngestionOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<ValidationRules>().BindConfiguration(ValidationRules.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<DumpOptions>().BindConfiguration(DumpOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ItemValidator>();
        builder.Services.AddSingleton<IngestionPipeline>();
        builder.Services.AddSingleton<IDumpCheckpointStore, RedisDumpCheckpointStore>();
        builder.Services.AddSingleton<DumpFileReader>();
        builder.Services.AddSingleton<DumpSource>();
        builder.Services.AddSingleton<DumpIngestion>();

        builder.Services.AddSingleton<ICheckpointStore, RedisCheckpointStore>();
        builder.Services.AddSingleton<ItemRefreshStore>();
        builder.Services.AddSingleton<ThreadSchedule>();
        if (IsRedditConfigured(builder.Configuration))
        {
            builder.Services.AddRedditClient();
            builder.Services.AddOptions<RefreshOptions>().BindConfiguration(RefreshOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
            builder.Services.AddSingleton<ThreadCrawler>();
            builder.Services.AddSingleton<ItemRefresher>();
            if (builder.Configuration.GetSection($"{RedditOptions.SectionName}:Subreddits").GetChildren().Any())
            {
                // The live collection: new items from the listings, whole threads of the posts among them, and
                // recent items read again for their scores, edits and removals; all share the rate budget.
                builder.Services.AddHostedService<RedditIngestionService>();
                if (builder.Configuration.GetValue($"{ThreadOptions.SectionName}:Enabled", true))
                {
                    builder.Services.AddHostedService<ThreadCrawlerService>();
                }

                if (builder.Configuration.GetValue($"{RefreshOptions.SectionName}:Enabled", true))
                {
                    builder.Services.AddHostedService<RefreshService>();
                }
            }
        }
    }

    public static bool IsRedditConfigured(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[$"{RedditOptions.SectionName}:ClientId"]);

    public static WebApplication MapApplicationEndpoints(this WebApplication app) => app;
}
