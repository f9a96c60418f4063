using Scorer.Apis;
using Scorer.Infrastructure;
using Scorer.Models;
using Scorer.Models.Accurate;
using Scorer.Models.Fast;
using Scorer.Services;
using Scorer.Services.Batching;

namespace Scorer.Extensions;

public static class Extensions
{
    /// <summary>
    /// Registers the models, one dynamic batch scheduler per model, the gRPC API and the standard
    /// <c>grpc.health.v1</c> service, which reports the same readiness as <c>/health</c>.
    /// </summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ScoringLimits>()
            .BindConfiguration(ScoringLimits.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ScorerTelemetry>();

        builder.Services.AddOptions<AccurateModelOptions>()
            .BindConfiguration(AccurateModelOptions.SectionName)
            .ValidateDataAnnotations() // also checks that the weights file exists
            .ValidateOnStart();
        builder.AddModel<OnnxSentimentModel>(ModelNames.Accurate, defaults: new BatchingOptions
        {
            MaxBatchItems = 32,
            MaxBatchTokens = 4096, // a text costs its token count, at most the encoder's 256
            MaxQueueDelay = TimeSpan.FromMilliseconds(5),
            // Single-threaded sessions cost almost nothing per batch (the batch-cost benchmark): cut finely.
            BatchOverheadTokens = 8,
            // Workers: one per session (Scorer:Accurate:Sessions), each session running one batch at a time.
            QueueCapacity = 4096,
        });

        builder.Services.AddSingleton(_ => new VaderAnalyzer(VaderLexicon.Embedded));
        builder.AddModel<VaderSentimentModel>(ModelNames.Fast, defaults: new BatchingOptions
        {
            // VADER gains nothing from waiting for company: take what is queued and run it on every core.
            MaxQueueDelay = TimeSpan.Zero,
            MaxBatchItems = 256,
            SortWindowBatches = 1, // no padding to save: leave the queue to the other workers
            MaxBatchTokens = 1_000_000,
            // Workers: one per core.
            QueueCapacity = 100_000,
        });

        builder.Services.AddSingleton<SentimentScoringService>();
        builder.Services.AddSingleton<ModelWarmup>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ModelWarmup>());
        builder.Services.AddHealthChecks().AddCheck<ModelWarmup>(ModelWarmup.HealthCheckName);

        builder.Services.AddGrpc();
        builder.Services.AddGrpcHealthChecks();
        builder.Services.AddSingleton<QueueDepthObserver>();
    }

    public static WebApplication MapApplicationEndpoints(this WebApplication app)
    {
        app.Services.GetRequiredService<QueueDepthObserver>().Start();
        app.MapGrpcService<ScorerGrpcService>();
        app.MapGrpcHealthChecksService();
        return app;
    }

    /// <summary>Registers a model and its batch scheduler, with options from <c>Scorer:Batching:{name}</c>.</summary>
    private static void AddModel<TModel>(this IHostApplicationBuilder builder, string name, BatchingOptions defaults)
        where TModel : class, ISentimentModel
    {
        builder.Services.AddSingleton<TModel>();
        builder.Services.AddOptions<BatchingOptions>(name)
            .Configure(options =>
            {
                options.MaxBatchItems = defaults.MaxBatchItems;
                options.MaxBatchTokens = defaults.MaxBatchTokens;
                options.MaxQueueDelay = defaults.MaxQueueDelay;
                options.QueueCapacity = defaults.QueueCapacity;
                options.Workers = defaults.Workers;
                options.SortWindowBatches = defaults.SortWindowBatches;
                options.BatchOverheadTokens = defaults.BatchOverheadTokens;
            })
            .BindConfiguration($"{BatchingOptions.SectionPrefix}:{name}")
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(sp => new BatchScheduler(
            sp.GetRequiredService<TModel>(),
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<BatchingOptions>>().Get(name),
            sp.GetRequiredService<ScorerTelemetry>(),
            sp.GetRequiredService<TimeProvider>()));
    }
}
