using Gateway.Model;
using Microsoft.AspNetCore.Http.HttpResults;
using StackExchange.Redis;

namespace Gateway.Apis;

/// <summary><c>/api/v1/admin</c>: queue depths and counters, and sending failed items back for reprocessing.</summary>
public static class AdminApi
{

    // Oldest failures first, atomically: an entry is always in exactly one of the two lists.
    private const string MoveLua = """
        local moved = 0
        for i = 1, tonumber(ARGV[1]) do
          if not redis.call('LMOVE', KEYS[1], KEYS[2], 'RIGHT', 'LEFT') then break end
          moved = moved + 1
        end
        return moved
        """;

    public static RouteGroupBuilder MapAdminApi(this RouteGroupBuilder api)
    {
        var admin = api.MapGroup("/admin").WithTags("Admin").RequireAuthorization(Infrastructure.Authentication.AdminPolicy);
        admin.MapGet("/queues", GetQueues).WithName("GetQueues").WithSummary("Queue depths and the processed / failed counters");
        admin.MapPost("/failed/reprocess", Reprocess).WithName("ReprocessFailed")
            .WithSummary("Moves up to 'count' of the oldest failed items to the reprocess queue");
        return admin;
    }

    public static async Task<Ok<QueueStatus>> GetQueues(IConnectionMultiplexer redis)
    {
        var db = redis.GetDatabase();
        var lengths = await Task.WhenAll(RedisKeys.Queues.Select(q => db.ListLengthAsync(q)));
        var counters = await db.StringGetAsync([RedisKeys.ProcessedCount, RedisKeys.FailedCount]);
        var failedItems = await db.SetLengthAsync(RedisKeys.FailedItems);
        return TypedResults.Ok(new QueueStatus(
            RedisKeys.Queues.Zip(lengths).ToDictionary(p => p.First, p => p.Second),
            counters[0].IsNull ? 0 : (long)counters[0], counters[1].IsNull ? 0 : (long)counters[1], failedItems));
    }

    public static async Task<Results<Ok<ReprocessResult>, ValidationProblem>> Reprocess(IConnectionMultiplexer redis, int count = 100)
    {
        if (count is < 1 or > 100_000)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["count"] = ["Use 1 to 100000."] });
        }

        var db = redis.GetDatabase();
        var moved = (int)await db.ScriptEvaluateAsync(MoveLua, [RedisKeys.FailedQueue, RedisKeys.ReprocessQueue], [count]);
        return TypedResults.Ok(new ReprocessResult(moved, await db.ListLengthAsync(RedisKeys.FailedQueue)));
    }
}
