using Grpc.Core;
using RedditSentiment.Protos.Sentiment.V1;

namespace Collector.Infrastructure;

/// <summary><see cref="ISentimentScorer"/> over the Scorer's <c>sentiment.v1.Scorer/Score</c>.</summary>
public sealed class GrpcSentimentScorer(Scorer.ScorerClient client) : ISentimentScorer
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);

    public async Task<IReadOnlyList<ScoreResult>> ScoreAsync(string model, IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var request = new ScoreRequest { Model = model };
        for (var i = 0; i < texts.Count; i++)
        {
            request.Items.Add(new TextItem { Id = i.ToString(System.Globalization.CultureInfo.InvariantCulture), Text = texts[i] });
        }

        try
        {
            var response = await client.ScoreAsync(request, deadline: DateTime.UtcNow + CallTimeout, cancellationToken: cancellationToken);
            return response.Results.Select(r => new ScoreResult(
                r.Label switch
                {
                    SentimentLabel.Negative => "negative",
                    SentimentLabel.Positive => "positive",
                    _ => "neutral",
                },
                r.Score, r.Confidence, r.Negative, r.Neutral, r.Positive, r.Truncated, r.Model, r.ModelVersion)).ToList();
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.InvalidArgument)
        {
            throw new ScorerRejectedException(e.Status.Detail, e);
        }
        catch (RpcException e) when (e.StatusCode is not StatusCode.Cancelled || !cancellationToken.IsCancellationRequested)
        {
            throw new ScorerUnavailableException($"{e.StatusCode}: {e.Status.Detail}", e);
        }
    }
}
