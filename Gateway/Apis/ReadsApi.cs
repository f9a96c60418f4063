using Gateway.Infrastructure;
using Gateway.Model;
using Gateway.Services;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Gateway.Apis;

/// <summary>Read endpoints over the scored posts and comments: <c>/api/v1/subreddits</c>, <c>/posts</c>, <c>/search</c>.</summary>
public static class ReadsApi
{
    private static readonly TimeSpan ClientMaxAge = TimeSpan.FromSeconds(15);

    public static RouteGroupBuilder MapReadsApi(this RouteGroupBuilder api)
    {
        var reads = api.MapGroup("").RequireAuthorization(Authentication.ReadPolicy);
        reads.MapGet("/subreddits", ListSubreddits).WithName("ListSubreddits").WithTags("Subreddits")
            .WithSummary("Subreddits with their aggregate sentiment, busiest first (cached)");
        reads.MapGet("/subreddits/{subreddit}/timeseries", SubredditTimeSeries).WithName("SubredditTimeSeries").WithTags("Subreddits")
            .WithSummary("A subreddit's sentiment per interval (minute, hour, day or week) between from and to (cached)");
        reads.MapGet("/posts", ListPosts).WithName("ListPosts").WithTags("Posts")
            .WithSummary("Posts filtered by subreddit, time and label, sorted by sentiment (or newest)");
        reads.MapGet("/posts/{id}", GetPost).WithName("GetPost").WithTags("Posts")
            .WithSummary("A post with its comments and their aggregate sentiment");
        reads.MapGet("/search", Search).WithName("Search").WithTags("Search")
            .WithSummary("Keyword search (web-search syntax) with the aggregate sentiment of the matches (cached)");
        return api;
    }

    public sealed record ReadServices(SentimentQueries Queries, AggregateCache Cache, TimeProvider Time);

    public static async Task<Results<CachedJson<IReadOnlyList<SubredditSentiment>>, ValidationProblem, StatusCodeHttpResult>> ListSubreddits(
        HttpContext context, [AsParameters] ReadServices services,
        DateTimeOffset? from, DateTimeOffset? to, int offset = 0, int limit = 50)
    {
        var errors = new Dictionary<string, string[]>();
        var range = ReadRequestRules.Range(services.Time, from, to, errors);
        ReadRequestRules.Paging(offset, limit, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        // Aggregates cover whole hours: ranges within one hour share one cache entry.
        range = RollupSpan.Of(range, wholeDays: false).Range;
        var cached = await services.Cache.GetOrCreateAsync("subreddits", $"{range}|{offset}|{limit}", scope: null,
            token => services.Queries.SubredditsAsync(range, offset, limit, token), context.RequestAborted);
        return Cached(context, cached);
    }

    public static async Task<Results<CachedJson<SubredditTimeSeries>, ValidationProblem, StatusCodeHttpResult>> SubredditTimeSeries(
        HttpContext context, [AsParameters] ReadServices services, string subreddit,
        DateTimeOffset? from, DateTimeOffset? to, string interval = "day")
    {
        var errors = new Dictionary<string, string[]>();
        var range = ReadRequestRules.Range(services.Time, from, to, errors);
        var step = ReadRequestRules.Interval(interval, range, errors);
        ReadRequestRules.Subreddit(subreddit, errors, required: true);

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (step >= TimeSpan.FromHours(1))
        {
            range = RollupSpan.Of(range, wholeDays: false).Range; // the hours the series covers, as it reports them
        }

        var cached = await services.Cache.GetOrCreateAsync("timeseries", $"{subreddit}|{range}|{interval}", scope: subreddit,
            async token => new SubredditTimeSeries(subreddit, range.From, range.To, interval,
                await services.Queries.TimeSeriesAsync(subreddit, range, step, token)), context.RequestAborted);
        return Cached(context, cached);
    }

    public static async Task<Results<Ok<Page<PostSummary>>, ValidationProblem>> ListPosts(
        [AsParameters] ReadServices services, HttpContext context,
        string? subreddit, DateTimeOffset? from, DateTimeOffset? to, string? label,
        string sort = "sentiment_desc", int offset = 0, int limit = 20)
    {
        var errors = new Dictionary<string, string[]>();
        var range = ReadRequestRules.Range(services.Time, from, to, errors);
        ReadRequestRules.Paging(offset, limit, errors);
        ReadRequestRules.Label(label, errors);
        ReadRequestRules.Subreddit(subreddit, errors);

        PostSort? order = sort switch
        {
            "sentiment_desc" => PostSort.SentimentDescending,
            "sentiment_asc" => PostSort.SentimentAscending,
            "newest" => PostSort.Newest,
            _ => null,
        };
        if (order is null)
        {
            errors["sort"] = ["Use sentiment_desc, sentiment_asc or newest."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var posts = await services.Queries.PostsAsync(new PostQuery(subreddit, range, label, order!.Value, offset, limit + 1), context.RequestAborted);
        return TypedResults.Ok(new Page<PostSummary>(posts.Take(limit).ToList(), offset, limit, posts.Count > limit ? offset + limit : null));
    }

    public static async Task<Results<Ok<PostDetail>, NotFound<ProblemDetails>, ValidationProblem>> GetPost(
        [AsParameters] ReadServices services, HttpContext context, string id, int comments = 200)
    {
        var errors = new Dictionary<string, string[]>();
        ReadRequestRules.ItemId(id, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var post = await services.Queries.PostAsync(id, Math.Clamp(comments, 0, 1000), context.RequestAborted);
        return post is null
            ? TypedResults.NotFound(new ProblemDetails { Title = "Post not found", Detail = $"No scored post has id '{id}'.", Status = 404 })
            : TypedResults.Ok(post);
    }

    public static async Task<Results<CachedJson<SearchResult>, ValidationProblem, StatusCodeHttpResult>> Search(
        HttpContext context, [AsParameters] ReadServices services,
        string? q, string? subreddit, DateTimeOffset? from, DateTimeOffset? to, int top = 20)
    {
        var errors = new Dictionary<string, string[]>();
        var range = ReadRequestRules.Range(services.Time, from, to, errors);
        ReadRequestRules.SearchTerms(q, top, errors);
        ReadRequestRules.Subreddit(subreddit, errors);

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        try
        {
            var cached = await services.Cache.GetOrCreateAsync("search", $"{q}|{subreddit}|{range}|{top}", scope: subreddit,
                token => services.Queries.SearchAsync(q!, subreddit, range, top, token), context.RequestAborted);
            return Cached(context, cached);
        }
        catch (SearchTooBroadException tooBroad)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["q"] = [tooBroad.Message] });
        }
    }

    private static Results<CachedJson<T>, ValidationProblem, StatusCodeHttpResult> Cached<T>(HttpContext context, AggregateCache.Cached<T> cached) =>
        HttpCaching.Respond(context, cached, ClientMaxAge);
}
