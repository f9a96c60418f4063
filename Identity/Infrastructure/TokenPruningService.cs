using OpenIddict.Abstractions;

namespace Identity.Infrastructure;

/// <summary>
/// Deletes expired, revoked and redeemed tokens and their orphaned authorizations once an hour, keeping a
/// day of history (OpenIddict needs recent redeemed refresh tokens to detect replays).
/// </summary>
public sealed class TokenPruningService(IServiceScopeFactory scopes, TimeProvider time, ILogger<TokenPruningService> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);
    private static readonly TimeSpan KeptHistory = TimeSpan.FromDays(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var threshold = time.GetUtcNow() - KeptHistory;
                var tokens = await scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>().PruneAsync(threshold, stoppingToken);
                var authorizations = await scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationManager>().PruneAsync(threshold, stoppingToken);
                logger.LogInformation("Pruned {Tokens} tokens and {Authorizations} authorizations", tokens, authorizations);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                logger.LogWarning("Token pruning failed ({Error}); trying again in {Interval}", error.Message, Interval);
            }
        }
    }
}
