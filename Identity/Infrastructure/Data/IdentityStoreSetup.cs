using Microsoft.EntityFrameworkCore;
using Npgsql;
using Npgsql.EntityFrameworkCore.PostgreSQL.Infrastructure;

namespace Identity.Infrastructure.Data;

public static class IdentityStoreSetup
{
    /// <summary>One provider configuration for the app and the design-time tools, so their models agree.</summary>
    public static void ConfigureNpgsql(NpgsqlDbContextOptionsBuilder npgsql) =>
        npgsql.MigrationsHistoryTable(IdentityStoreDbContext.MigrationsHistoryTable, IdentityStoreDbContext.Schema);

    /// <summary>
    /// The context runs on the data source Aspire's Npgsql integration registers, so EF Core shares its
    /// pool, health check and telemetry. No retrying execution strategy: OpenIddict's stores open their own
    /// transactions, which such a strategy refuses.
    /// </summary>
    public static void AddIdentityStore(this IServiceCollection services) =>
        services.AddDbContext<IdentityStoreDbContext>((provider, options) =>
            options.UseNpgsql(provider.GetRequiredService<NpgsqlDataSource>(), ConfigureNpgsql));
}
