using Identity.Infrastructure.Data;
using Identity.Infrastructure.Keys;
using Identity.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Identity.Infrastructure;

/// <summary>
/// Prepares the store before the server listens: applies the EF Core migrations, loads (or generates) the
/// signing and encryption certificates and seeds clients, scopes and users, all under one PostgreSQL
/// advisory lock so replicas starting together take turns. Retries while PostgreSQL is unreachable.
/// <para>
/// It runs in <see cref="StartAsync"/>, which the host finishes before Kestrel accepts a connection, because
/// OpenIddict's options (and so every request) need the certificates. Until then the process answers
/// nothing, which readiness probes read as not ready; afterwards the <c>identity-store</c> health check
/// says so explicitly.
/// </para>
/// </summary>
public sealed class IdentityStoreInitializer(
    IServiceScopeFactory scopes,
    ServerKeyRing keyRing,
    ILogger<IdentityStoreInitializer> logger) : IHostedService, IHealthCheck
{
    public const string HealthCheckName = "identity-store";

    /// <summary>Key of the advisory lock; distinct from the Collector's migration lock.</summary>
    private const long LockKey = 0x4964_656E_7469; // "Identi"

    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    private volatile bool _ready;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (true)
        {
            try
            {
                await InitializeAsync(cancellationToken);
                _ready = true;
                return;
            }
            catch (Exception error) when (IsTransient(error) && !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("The identity store is not reachable yet ({Error}); retrying in {Delay}", error.Message, delay);
                await Task.Delay(delay, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_ready
            ? HealthCheckResult.Healthy("The schema is current, the keys are loaded and the seed is applied.")
            : HealthCheckResult.Unhealthy("The identity store is being prepared."));

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<IdentityStoreDbContext>();

        // One connection for the whole session: the lock is the session's, and the migrator, key store and
        // seeder share this scope's context (and so this connection).
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({LockKey})", cancellationToken);
            try
            {
                // Creating the history table first spares a fresh database EF Core's probe of a missing table
                // (an ERROR in PostgreSQL's log). EF Core logs each migration it applies.
                await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);
                await db.Database.MigrateAsync(cancellationToken);

                var (signing, encryption) = await services.GetRequiredService<ServerKeyStore>().LoadAsync(cancellationToken);
                keyRing.Load(signing, encryption);

                await services.GetRequiredService<IdentitySeeder>().SeedAsync(cancellationToken);
                logger.LogInformation("The identity store is ready");
            }
            finally
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({LockKey})", CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static bool IsTransient(Exception error) => error switch
    {
        NpgsqlException { IsTransient: true } or TimeoutException or System.Net.Sockets.SocketException => true,
        _ when error.InnerException is { } inner => IsTransient(inner),
        _ => false,
    };
}
