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
    /// A connection attempt gives up after <see cref="ConnectTimeout"/> (a Kubernetes Service without ready pods drops
    /// the attempt, which otherwise waits for the call's deadline: the workers then noticed a returned Scorer only
    /// a minute later), and HTTP/2 pings while calls are open find a Scorer that stopped answering within
    /// <see cref="PingTimeout"/> after <see cref="PingDelay"/> of silence.
    /// </summary>
    public static IHttpClientBuilder AddScorerClient(this IServiceCollection services)
    {
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is experimental
        return services.AddGrpcClient<Scorer.ScorerClient>(o => o.Address = new Uri($"http://_grpc.{ResourceNames.Scorer}"))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                KeepAlivePingDelay = PingDelay,
                KeepAlivePingTimeout = PingTimeout,
                KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
                ConnectTimeout = ConnectTimeout,
                EnableMultipleHttp2Connections = true,
            })
            .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
    }

    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(3);

    public static readonly TimeSpan PingDelay = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(5);
}
