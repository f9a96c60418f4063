using Microsoft.AspNetCore.HttpOverrides;
using Identity.Apis;
using Identity.Infrastructure;
using Identity.Infrastructure.Data;
using Identity.Infrastructure.Keys;
using Identity.Model;
using Identity.Services;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Identity.Extensions;

public static class Extensions
{
    /// <summary>Data Protection's application name: the key ring (and what it protects) is bound to it.</summary>
    public const string DataProtectionApplicationName = "RedditSentiment.Identity";

    /// <summary>
    /// Registers the token server: OpenIddict on EF Core and PostgreSQL (schema <c>identity</c>), ASP.NET Core
    /// Identity users with lockout, persisted keys, seeding from configuration and the token rate limit.
    /// </summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDataSource(ResourceNames.Database);
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);

        services.AddOptions<TokenServerOptions>().BindConfiguration(TokenServerOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SeedOptions>().BindConfiguration(TokenServerOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SeedOptions>, SeedOptionsValidator>();
        services.AddOptions<KeyOptions>().BindConfiguration(KeyOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<LockoutSettings>().BindConfiguration(LockoutSettings.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<TokenRateLimitOptions>().BindConfiguration(TokenRateLimitOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

        // The store initializer is the first hosted service, so nothing reads the store before it is migrated.
        services.AddIdentityStore();
        services.AddSingleton<ServerKeyRing>();
        services.AddSingleton<IdentityStoreInitializer>();
        services.AddHostedService(provider => provider.GetRequiredService<IdentityStoreInitializer>());
        services.AddHealthChecks().AddCheck<IdentityStoreInitializer>(IdentityStoreInitializer.HealthCheckName);
        services.AddScoped<ServerKeyStore>();
        services.AddScoped<IdentitySeeder>();
        services.AddHostedService<TokenPruningService>();

        services.AddDataProtection()
            .SetApplicationName(DataProtectionApplicationName)
            .PersistKeysToDbContext<IdentityStoreDbContext>();

        services.AddScoped<Services.UnknownUserPasswordCheck>();
        services.AddMemoryCache();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<Services.SignInThrottle>();
        services.AddIdentityCore<IdentityUser>(options =>
            {
                // Seeded passwords are generated letters and digits (the AppHost's parameters): long, no symbols.
                options.Password.RequiredLength = 12;
                options.Password.RequireNonAlphanumeric = false;
                // An administrator can still lock an account (its LockoutEnd); wrong passwords lock an account
                // against one address only, in SignInThrottle, which reads Identity:Lockout.
                options.Lockout.AllowedForNewUsers = true;
            })
            .AddSignInManager()
            .AddEntityFrameworkStores<IdentityStoreDbContext>();

        services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<IdentityStoreDbContext>())
            .AddServer(server =>
            {
                server.SetTokenEndpointUris(TokenEndpoints.Token.TrimStart('/'))
                    .SetIntrospectionEndpointUris(TokenEndpoints.Introspection.TrimStart('/'))
                    .SetRevocationEndpointUris(TokenEndpoints.Revocation.TrimStart('/'))
                    .SetConfigurationEndpointUris(TokenEndpoints.Discovery.TrimStart('/'))
                    .SetJsonWebKeySetEndpointUris(TokenEndpoints.Jwks.TrimStart('/'));
                server.AllowClientCredentialsFlow().AllowPasswordFlow().AllowRefreshTokenFlow();
                server.RegisterScopes([.. PlatformScopes.All, Scopes.OpenId, Scopes.OfflineAccess]);

                // Signed, not encrypted, access tokens: the Gateway validates them with the public keys of
                // the JWKS document alone. Refresh tokens stay encrypted (only Identity reads them).
                server.DisableAccessTokenEncryption();

                // TLS ends at the ingress; inside the app model Identity speaks plain HTTP.
                server.UseAspNetCore().EnableTokenEndpointPassthrough().DisableTransportSecurityRequirement();
            });
        services.AddSingleton<IConfigureOptions<OpenIddictServerOptions>, ServerKeyRing.ConfigureServer>();
        services.AddOptions<OpenIddictServerOptions>().Configure<IOptions<TokenServerOptions>>((options, settings) =>
        {
            options.Issuer = settings.Value.IssuerUri;
            options.AccessTokenLifetime = settings.Value.AccessTokenLifetime;
            options.RefreshTokenLifetime = settings.Value.RefreshTokenLifetime;
        });

        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<TokenRateLimitOptions>>((options, limits) =>
        {
            options.GlobalLimiter = TokenRateLimiting.CreateLimiter(limits.Value);
            options.OnRejected = TokenRateLimiting.OnRejectedAsync;
        });
    }

    /// <summary>
    /// The end user's address first, then the rate limit, then OpenIddict (inside authentication), which answers its
    /// own endpoints. The Gateway signs web users in from its own address and names theirs in <c>X-Forwarded-For</c>;
    /// taken from a trusted proxy only (loopback by default; in Kubernetes
    /// <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED=true</c> trusts the cluster's), it makes the limit per user address, so
    /// one client flooding the sign-in cannot use up everyone's budget.
    /// </summary>
    public static WebApplication UseTokenServer(this WebApplication app)
    {
        app.UseForwardedHeaders(new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor });
        app.UseRateLimiter();
        app.UseAuthentication();
        return app;
    }

    public static WebApplication MapApplicationEndpoints(this WebApplication app)
    {
        app.MapTokenApi();
        return app;
    }
}
