using Gateway.Model;
using Grpc.Core;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using RedditSentiment.Protos.Sentiment.V1;

namespace Gateway.Apis;

/// <summary><c>/api/v1/sentiment</c>: ad-hoc scoring through the Scorer, and a smoke test.</summary>
public static class SentimentApi
{
    public const int MaxTextsPerRequest = 100;

    private static readonly string[] SmokeTexts = ["I love this, it works great!", "This is terrible and broken.", "The meeting is at noon."];

    public static RouteGroupBuilder MapSentimentApi(this RouteGroupBuilder api)
    {
        var sentiment = api.MapGroup("/sentiment").WithTags("Sentiment").RequireAuthorization(Infrastructure.Authentication.ScorePolicy);
        sentiment.MapPost("/score", Score).WithName("ScoreTexts")
            .WithSummary($"Scores one text or up to {MaxTextsPerRequest} texts with the chosen model (default: the Scorer's)");
        sentiment.MapGet("/test", SmokeTest).WithName("SentimentSmokeTest")
            .WithSummary("Scores three fixed sentences end to end: a quick check that the Scorer answers");
        return api;
    }

    public static async Task<Results<Ok<ScoreTextsResponse>, ValidationProblem, ProblemHttpResult>> Score(
        ScoreTextsRequest request, Scorer.ScorerClient scorer, CancellationToken cancellationToken)
    {
        var texts = request.Texts ?? (request.Text is null ? [] : [request.Text]);
        if (texts.Count == 0 || (request.Text is not null && request.Texts is not null))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["texts"] = ["Give either 'text' or a non-empty 'texts'."] });
        }

        if (texts.Count > MaxTextsPerRequest)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["texts"] = [$"At most {MaxTextsPerRequest} texts per request; use the gRPC bulk API for more."] });
        }

        return await ScoreAsync(scorer, texts, request.Model, cancellationToken);
    }

    public static async Task<Results<Ok<ScoreTextsResponse>, ValidationProblem, ProblemHttpResult>> SmokeTest(
        Scorer.ScorerClient scorer, CancellationToken cancellationToken) =>
        await ScoreAsync(scorer, SmokeTexts, model: null, cancellationToken);

    private static async Task<Results<Ok<ScoreTextsResponse>, ValidationProblem, ProblemHttpResult>> ScoreAsync(
        Scorer.ScorerClient scorer, IReadOnlyList<string> texts, string? model, CancellationToken cancellationToken)
    {
        var request = new ScoreRequest { Model = model ?? "" };
        request.Items.AddRange(texts.Select((text, i) => new TextItem { Id = i.ToString(System.Globalization.CultureInfo.InvariantCulture), Text = text ?? "" }));
        try
        {
            var response = await scorer.ScoreAsync(request, deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: cancellationToken);
            return TypedResults.Ok(new ScoreTextsResponse(response.Results.Select((r, i) => new TextSentiment(
                texts[i], LabelName(r.Label), r.Score, r.Confidence, r.Negative, r.Neutral, r.Positive, r.Truncated, r.Model, r.ModelVersion)).ToList()));
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.InvalidArgument)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["texts"] = [e.Status.Detail] });
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted)
        {
            return TypedResults.Problem(e.Status.Detail, statusCode: StatusCodes.Status429TooManyRequests, title: "The Scorer is overloaded; retry later");
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
        {
            return TypedResults.Problem(e.Status.Detail, statusCode: StatusCodes.Status503ServiceUnavailable, title: "The Scorer is unavailable");
        }
    }

    public static string LabelName(SentimentLabel label) => label switch
    {
        SentimentLabel.Negative => "negative",
        SentimentLabel.Positive => "positive",
        _ => "neutral",
    };
}
