using Microsoft.Extensions.DependencyInjection;
using RedditSentiment.Protos.Sentiment.V1;

namespace RedditSentiment.Contracts;

/// <summary>How a service reaches the Scorer: its h2c endpoint, named <c>grpc</c> in the app model (and the Kubernetes service).</summary>
public static class ScorerClientRegistration
{
    /// <summary>
    /// Registers the typed gRPC client of the Scorer, found by service discovery, without the standard HTTP
    /// resilience handler: its total timeout would cut long batches and bulk streams, and its retries would replay
    /// stream traffic; the callers' deadlines and their own retries (the workers keep their batch) govern instead.
    /// </summary>
    public static IHttpClientBuilder AddScorerClient(this IServiceCollection services)
    {
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is experimental
        return services.AddGrpcClient<Scorer.ScorerClient>(o => o.Address = new Uri($"http://_grpc.{ResourceNames.Scorer}"))
            .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
    }
}
