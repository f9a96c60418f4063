using System.Threading.Channels;
using Grpc.Core;
using RedditSentiment.Protos.Sentiment.V1;
using Scorer.Infrastructure;
using Scorer.Models;
using Scorer.Services;
using Scorer.Services.Batching;

namespace Scorer.Apis;

/// <summary>
/// <c>sentiment.v1.Scorer</c> over gRPC: validation (INVALID_ARGUMENT), overload (RESOURCE_EXHAUSTED),
/// deadlines (DEADLINE_EXCEEDED) and the mapping between the wire and the scoring service.
/// </summary>
public sealed class ScorerGrpcService(SentimentScoringService scoring, ScorerTelemetry telemetry)
    : RedditSentiment.Protos.Sentiment.V1.Scorer.ScorerBase
{
    /// <summary>Batches of one stream scored at once; more waits (HTTP/2 flow control pushes back on the client).</summary>
    private const int StreamBatchesInFlight = 4;

    public override Task<ScoreResponse> Score(ScoreRequest request, ServerCallContext context) =>
        ScoreBatchAsync(request, context);

    public override async Task ScoreStream(
        IAsyncStreamReader<ScoreRequest> requestStream, IServerStreamWriter<ScoreResponse> responseStream, ServerCallContext context)
    {
        // Batches are scored concurrently but answered in the order they came.
        var inFlight = Channel.CreateBounded<Task<ScoreResponse>>(
            new BoundedChannelOptions(StreamBatchesInFlight) { SingleReader = true, SingleWriter = true });

        var reading = Task.Run(async () =>
        {
            try
            {
                await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
                {
                    await inFlight.Writer.WriteAsync(ScoreBatchAsync(request, context), context.CancellationToken);
                }
            }
            finally
            {
                inFlight.Writer.TryComplete();
            }
        });

        await foreach (var response in inFlight.Reader.ReadAllAsync(context.CancellationToken))
        {
            await responseStream.WriteAsync(await response, context.CancellationToken);
        }

        await reading;
    }

    public override Task<ListModelsResponse> ListModels(ListModelsRequest request, ServerCallContext context)
    {
        var response = new ListModelsResponse();
        foreach (var model in scoring.Schedulers.Select(s => s.Model).OrderBy(m => m.Name, StringComparer.Ordinal))
        {
            var info = new ModelInfo
            {
                Name = model.Name,
                Version = model.Version,
                Device = model.Device,
                MaxTokens = model.MaxTokens,
                IsDefault = string.Equals(model.Name, scoring.DefaultModel, StringComparison.OrdinalIgnoreCase),
            };
            info.Labels.AddRange(ModelNames.Labels);
            response.Models.Add(info);
        }

        return Task.FromResult(response);
    }

    private async Task<ScoreResponse> ScoreBatchAsync(ScoreRequest request, ServerCallContext context)
    {
        var texts = request.Items.Select(item => item.Text).ToArray();
        var invalid = scoring.Validate(request.Model, texts, out var scheduler);
        var modelTag = scheduler?.Model.Name ?? "unknown";
        if (invalid is not null)
        {
            throw Fail(modelTag, StatusCode.InvalidArgument, invalid);
        }

        SentimentPrediction[] predictions;
        try
        {
            predictions = await scoring.ScoreAsync(scheduler!, texts, DeadlineOf(context), context.CancellationToken);
        }
        catch (QueueFullException full)
        {
            throw Fail(modelTag, StatusCode.ResourceExhausted, full.Message);
        }
        catch (DeadlineExpiredException expired)
        {
            throw Fail(modelTag, StatusCode.DeadlineExceeded, expired.Message);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            throw Fail(modelTag, StatusCode.Cancelled, "The call was cancelled.");
        }

        telemetry.RecordRequest(modelTag, nameof(StatusCode.OK));
        return ToResponse(request, predictions, scheduler!.Model);
    }

    private RpcException Fail(string model, StatusCode status, string message)
    {
        telemetry.RecordRequest(model, status.ToString());
        return new RpcException(new Status(status, message));
    }

    private static DateTimeOffset? DeadlineOf(ServerCallContext context) =>
        context.Deadline == DateTime.MaxValue ? null : new DateTimeOffset(context.Deadline.ToUniversalTime());

    private static ScoreResponse ToResponse(ScoreRequest request, SentimentPrediction[] predictions, ISentimentModel model)
    {
        var response = new ScoreResponse();
        for (var i = 0; i < predictions.Length; i++)
        {
            var p = predictions[i];
            response.Results.Add(new SentimentResult
            {
                Id = request.Items[i].Id,
                Label = p.Label switch
                {
                    Sentiment.Negative => SentimentLabel.Negative,
                    Sentiment.Positive => SentimentLabel.Positive,
                    _ => SentimentLabel.Neutral,
                },
                Negative = p.Negative,
                Neutral = p.Neutral,
                Positive = p.Positive,
                Score = p.Score,
                Confidence = p.Confidence,
                Truncated = p.Truncated,
                Model = model.Name,
                ModelVersion = model.Version,
            });
        }

        return response;
    }
}
