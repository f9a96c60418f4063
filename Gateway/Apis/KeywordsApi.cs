using Gateway.Infrastructure;
using Gateway.Model;
using Gateway.Services;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Gateway.Apis;

/// <summary>
/// Tracked keywords: <c>/api/v1/keywords</c> and a keyword's <c>/trend</c> for readers; registering and deleting
/// under <c>/api/v1/admin/keywords</c> for admins.
/// </summary>
public static class KeywordsApi
{
    public const int MaxPhraseLength = 100;

    public static RouteGroupBuilder MapKeywordsApi(this RouteGroupBuilder api)
    {
        var reads = api.MapGroup("/keywords").WithTags("Keywords").RequireAuthorization(Authentication.ReadPolicy);
        reads.MapGet("", List).WithName("ListKeywords").WithSummary("The tracked keywords");
        reads.MapGet("/{id:int}/trend", Trend).WithName("KeywordTrend")
            .WithSummary("A tracked keyword's mentions and their sentiment per interval (hour, day or week) between from and to (cached)");

        api.MapGet("/alerts", Alerts).WithTags("Keywords").RequireAuthorization(Authentication.ReadPolicy).WithName("ListAlerts")
            .WithSummary("Shifts raised for tracked keywords (sentiment_drop, sentiment_rise, volume_spike), newest first");

        var admin = api.MapGroup("/admin/keywords").WithTags("Keywords").RequireAuthorization(Authentication.AdminPolicy);
        admin.MapPost("", Track).WithName("TrackKeyword")
            .WithSummary("Tracks a keyword or phrase, in one subreddit or all; its rollups are filled from the items stored so far");
        admin.MapDelete("/{id:int}", Untrack).WithName("UntrackKeyword").WithSummary("Stops tracking a keyword and drops its rollups");
        return api;
    }

    public static async Task<Ok<IReadOnlyList<TrackedKeyword>>> List(TrackedKeywords keywords, CancellationToken ct) =>
        TypedResults.Ok(await keywords.ListAsync(ct));

    public static async Task<Results<CachedJson<KeywordTrend>, NotFound<ProblemDetails>, ValidationProblem, StatusCodeHttpResult>> Trend(
        HttpContext context, TrackedKeywords keywords, AggregateCache cache, TimeProvider time,
        int id, DateTimeOffset? from, DateTimeOffset? to, string interval = "hour")
    {
        var errors = new Dictionary<string, string[]>();
        var range = ReadRequestRules.Range(time, from, to, errors);
        var step = ReadRequestRules.Interval(interval, range, errors);
        if (step is { Ticks: > 0 } && step < TimeSpan.FromHours(1))
        {
            errors["interval"] = ["Keyword trends are kept per hour: use hour, day or week."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        range = RollupSpan.Of(range, wholeDays: false).Range;
        var cached = await cache.GetOrCreateAsync("keyword-trend", $"{id}|{range}|{interval}", scope: null,
            token => keywords.TrendAsync(id, range, interval, step, token), context.RequestAborted);
        if (cached.Json.AsSpan().SequenceEqual("null"u8))
        {
            return TypedResults.NotFound(new ProblemDetails { Title = "Keyword not found", Detail = $"No tracked keyword has id {id}.", Status = 404 });
        }

        return HttpCaching.Respond(context, cached, TimeSpan.FromSeconds(15)).Result switch
        {
            CachedJson<KeywordTrend> json => json,
            var notModified => (StatusCodeHttpResult)notModified,
        };
    }

    public static async Task<Results<Ok<IReadOnlyList<KeywordAlert>>, ValidationProblem>> Alerts(
        KeywordAlerts alerts, TimeProvider time, DateTimeOffset? from, DateTimeOffset? to, int? keyword, int limit = 50, CancellationToken ct = default)
    {
        var errors = new Dictionary<string, string[]>();
        var range = ReadRequestRules.Range(time, from, to, errors);
        ReadRequestRules.Paging(0, limit, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return TypedResults.Ok(await alerts.ListAsync(range, keyword, limit, ct));
    }

    public static async Task<Results<Created<TrackedKeyword>, ValidationProblem, Conflict<ProblemDetails>>> Track(
        TrackedKeywords keywords, TrackKeywordRequest request, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var phrase = request.Phrase?.Trim();
        if (string.IsNullOrEmpty(phrase) || phrase.Length > MaxPhraseLength || phrase.Any(char.IsControl))
        {
            errors["phrase"] = [$"Give a keyword or phrase of 1 to {MaxPhraseLength} characters, without control characters."];
        }

        var subreddit = string.IsNullOrEmpty(request.Subreddit) ? null : request.Subreddit;
        ReadRequestRules.Subreddit(subreddit, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var (keyword, refusal, reason) = await keywords.AddAsync(phrase!, subreddit, ct);
        return refusal switch
        {
            TrackedKeywords.Refusal.None => TypedResults.Created($"/api/v1/keywords/{keyword!.Id}/trend", keyword),
            TrackedKeywords.Refusal.NoSearchableWord => TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["phrase"] = [reason!] }),
            _ => TypedResults.Conflict(new ProblemDetails { Title = "Keyword not tracked", Detail = reason, Status = 409 }),
        };
    }

    public static async Task<Results<NoContent, NotFound<ProblemDetails>>> Untrack(TrackedKeywords keywords, int id, CancellationToken ct) =>
        await keywords.DeleteAsync(id, ct)
            ? TypedResults.NoContent()
            : TypedResults.NotFound(new ProblemDetails { Title = "Keyword not found", Detail = $"No tracked keyword has id {id}.", Status = 404 });
}
