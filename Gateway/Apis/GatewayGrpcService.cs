using Gateway.Services;
using Google.Protobuf.WellKnownTypes;
using Gateway.Infrastructure;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using RedditSentiment.Protos.Gateway.V1;
using ScoreRequest = RedditSentiment.Protos.Sentiment.V1.ScoreRequest;
using ScoreResponse = RedditSentiment.Protos.Sentiment.V1.ScoreResponse;
using ScorerClient = RedditSentiment.Protos.Sentiment.V1.Scorer.ScorerClient;
using GrpcSentimentApi = RedditSentiment.Protos.Gateway.V1.SentimentApi;

namespace Gateway.Apis;

/// <summary>
/// <c>gateway.v1.SentimentApi</c>: bulk scoring forwarded to the Scorer's stream, and the REST reads over
/// gRPC, refused with the same rules (INVALID_ARGUMENT carrying the REST API's messages).
/// </summary>
/// <remarks>
/// Each method names its own scope: a class-level read policy would add itself to bulk scoring's, and a
/// <c>sentiment.score</c>-only client (<c>sentiment-bulk</c> asking for that scope alone) would be refused.
/// </remarks>
public sealed class GatewayGrpcService(ScorerClient scorer, SentimentQueries queries, TimeProvider time)
    : GrpcSentimentApi.SentimentApiBase
{
    /// <summary>Items per stream message; larger batches are the client's to split.</summary>
    public const int MaxItemsPerMessage = 1024;

    [Authorize(Policy = Authentication.ScorePolicy)]
    public override async Task ScoreStream(IAsyncStreamReader<ScoreRequest> requestStream, IServerStreamWriter<ScoreResponse> responseStream, ServerCallContext context)
    {
        // One Scorer stream per client stream: the Scorer keeps the order, HTTP/2 windows on both legs do the
        // flow control, and the client's deadline and cancellation travel with the call. A bad client message
        // cancels the Scorer's leg, so neither side waits for the other.
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        using var upstream = scorer.ScoreStream(deadline: context.Deadline == DateTime.MaxValue ? null : context.Deadline,
            cancellationToken: abort.Token);

        var forwarding = Task.Run(async () =>
        {
            try
            {
                await foreach (var request in requestStream.ReadAllAsync(abort.Token))
                {
                    if (request.Items.Count > MaxItemsPerMessage)
                    {
                        throw new RpcException(new Status(StatusCode.InvalidArgument,
                            $"A message carries {request.Items.Count} items; send at most {MaxItemsPerMessage} per message."));
                    }

                    await upstream.RequestStream.WriteAsync(request, abort.Token);
                }

                await upstream.RequestStream.CompleteAsync();
            }
            catch
            {
                await abort.CancelAsync();
                throw;
            }
        });

        try
        {
            await foreach (var response in upstream.ResponseStream.ReadAllAsync(abort.Token))
            {
                await responseStream.WriteAsync(response, abort.Token);
            }
        }
        catch (Exception) when (abort.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            // The client's own stream failed first (an invalid message): report that, not the cancelled Scorer leg.
        }

        await forwarding;
    }

    [Authorize(Policy = Authentication.ReadPolicy)]
    public override async Task<ListSubredditsResponse> ListSubreddits(ListSubredditsRequest request, ServerCallContext context)
    {
        var errors = new Dictionary<string, string[]>();
        var range = Range(request.Range, errors);
        var limit = request.Limit == 0 ? 50 : request.Limit;
        ReadRequestRules.Paging(request.Offset, limit, errors);
        ThrowIfInvalid(errors);

        var response = new ListSubredditsResponse();
        foreach (var s in await queries.SubredditsAsync(range, request.Offset, limit, context.CancellationToken))
        {
            response.Subreddits.Add(new SubredditSentiment { Subreddit = s.Subreddit, Posts = s.Posts, Comments = s.Comments, Sentiment = Summary(s.Sentiment) });
        }

        return response;
    }

    [Authorize(Policy = Authentication.ReadPolicy)]
    public override async Task<TimeSeriesResponse> GetSubredditTimeSeries(TimeSeriesRequest request, ServerCallContext context)
    {
        var errors = new Dictionary<string, string[]>();
        var range = Range(request.Range, errors);
        var step = ReadRequestRules.Interval(string.IsNullOrEmpty(request.Interval) ? "day" : request.Interval, range, errors);
        ReadRequestRules.Subreddit(request.Subreddit, errors, required: true);

        ThrowIfInvalid(errors);
        var response = new TimeSeriesResponse { Subreddit = request.Subreddit };
        foreach (var point in await queries.TimeSeriesAsync(request.Subreddit, range, step, context.CancellationToken))
        {
            response.Points.Add(new TimeSeriesPoint { Bucket = Timestamp.FromDateTimeOffset(point.Bucket), Sentiment = Summary(point.Sentiment) });
        }

        return response;
    }

    [Authorize(Policy = Authentication.ReadPolicy)]
    public override async Task<ListPostsResponse> ListPosts(ListPostsRequest request, ServerCallContext context)
    {
        var errors = new Dictionary<string, string[]>();
        var range = Range(request.Range, errors);
        var limit = request.Limit == 0 ? 20 : request.Limit;
        ReadRequestRules.Paging(request.Offset, limit, errors);
        var label = string.IsNullOrEmpty(request.Label) ? null : request.Label;
        ReadRequestRules.Label(label, errors);
        ReadRequestRules.Subreddit(request.Subreddit, errors);
        ThrowIfInvalid(errors);

        var sort = request.Sort switch
        {
            RedditSentiment.Protos.Gateway.V1.PostSort.SentimentAsc => Services.PostSort.SentimentAscending,
            RedditSentiment.Protos.Gateway.V1.PostSort.Newest => Services.PostSort.Newest,
            _ => Services.PostSort.SentimentDescending,
        };
        var posts = await queries.PostsAsync(new PostQuery(string.IsNullOrEmpty(request.Subreddit) ? null : request.Subreddit,
            range, label, sort, request.Offset, limit + 1), context.CancellationToken);
        var response = new ListPostsResponse { NextOffset = posts.Count > limit ? request.Offset + limit : -1 };
        response.Posts.AddRange(posts.Take(limit).Select(Post));
        return response;
    }

    [Authorize(Policy = Authentication.ReadPolicy)]
    public override async Task<PostDetail> GetPost(GetPostRequest request, ServerCallContext context)
    {
        var errors = new Dictionary<string, string[]>();
        ReadRequestRules.ItemId(request.Id, errors);
        ThrowIfInvalid(errors);
        var post = await queries.PostAsync(request.Id, request.CommentLimit == 0 ? 200 : Math.Clamp(request.CommentLimit, 0, 1000), context.CancellationToken)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"No scored post has id '{request.Id}'."));
        var detail = new PostDetail { Post = Post(post.Post), Body = post.Body, CommentSentiment = Summary(post.CommentSentiment) };
        detail.Comments.AddRange(post.Comments.Select(c => new Comment
        {
            Id = c.Id, ParentId = c.ParentId ?? "", Author = c.Author, Body = c.Body, CreatedAt = Timestamp.FromDateTimeOffset(c.CreatedAt),
            SentimentScore = c.SentimentScore, SentimentLabel = c.SentimentLabel, ConfidenceScore = c.ConfidenceScore,
        }));
        return detail;
    }

    [Authorize(Policy = Authentication.ReadPolicy)]
    public override async Task<SearchResponse> Search(SearchRequest request, ServerCallContext context)
    {
        var errors = new Dictionary<string, string[]>();
        var range = Range(request.Range, errors);
        var top = request.Top == 0 ? 20 : request.Top;
        ReadRequestRules.SearchTerms(request.Query, top, errors);
        ReadRequestRules.Subreddit(request.Subreddit, errors);
        ThrowIfInvalid(errors);

        Model.SearchResult result;
        try
        {
            result = await queries.SearchAsync(request.Query, string.IsNullOrEmpty(request.Subreddit) ? null : request.Subreddit, range, top, context.CancellationToken);
        }
        catch (SearchTooBroadException tooBroad)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, tooBroad.Message));
        }

        var response = new SearchResponse { Posts = Summary(result.Posts), Comments = Summary(result.Comments) };
        response.TopPosts.AddRange(result.TopPosts.Select(Post));
        return response;
    }

    private Services.TimeRange Range(RedditSentiment.Protos.Gateway.V1.TimeRange? range, Dictionary<string, string[]> errors) =>
        ReadRequestRules.Range(time, range?.From?.ToDateTimeOffset(), range?.To?.ToDateTimeOffset(), errors);

    private static void ThrowIfInvalid(Dictionary<string, string[]> errors)
    {
        if (errors.Count > 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument,
                string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"))));
        }
    }

    private static SentimentSummary Summary(Model.SentimentSummary s) => new()
    {
        Count = s.Count, AverageScore = s.AverageScore ?? 0, Positive = s.Positive, Neutral = s.Neutral, Negative = s.Negative,
        AverageConfidence = s.AverageConfidence ?? 0,
    };

    private static PostSummary Post(Model.PostSummary p) => new()
    {
        Id = p.Id, Subreddit = p.Subreddit, Author = p.Author, Title = p.Title, CreatedAt = Timestamp.FromDateTimeOffset(p.CreatedAt),
        SentimentScore = p.SentimentScore, SentimentLabel = p.SentimentLabel, ConfidenceScore = p.ConfidenceScore,
        ModelName = p.ModelName, ModelVersion = p.ModelVersion,
    };
}
