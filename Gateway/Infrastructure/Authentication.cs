using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Gateway.Infrastructure;

/// <summary>Section <c>Gateway:Auth</c>.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Gateway:Auth";

    /// <summary>Identity's issuer URL; its discovery document and JWKS are read from there.</summary>
    [Required]
    public string Authority { get; set; } = "";

    /// <summary>Access tokens remembered as valid (see <see cref="ValidatedTokenCache"/>); 0 checks every request afresh.</summary>
    [Range(0, 10_000_000)]
    public int ValidatedTokenCacheSize { get; set; } = 10_000;

    /// <summary>The longest a token is taken as valid without checking it again (never past its expiry).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ValidatedTokenCacheDuration { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// Access tokens from the Identity service: signed JWTs for the <c>sentiment-api</c> audience, checked
/// against Identity's published keys (refetched when a new key id appears). No or bad token: 401; a token
/// without the endpoint's scope: 403 (gRPC: UNAUTHENTICATED / PERMISSION_DENIED).
/// </summary>
public static class Authentication
{
    public const string ReadPolicy = PlatformScopes.Read;
    public const string ScorePolicy = PlatformScopes.Score;
    public const string AdminPolicy = PlatformScopes.Admin;

    public static IServiceCollection AddPlatformAuthentication(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>, TimeProvider>((jwt, auth, time) =>
            {
                jwt.Authority = auth.Value.Authority;
                jwt.Audience = PlatformScopes.ApiAudience;
                // Inside the cluster and in the local run Identity speaks plain HTTP; TLS ends at the ingress.
                jwt.RequireHttpsMetadata = auth.Value.Authority.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
                jwt.MapInboundClaims = false; // keep sub, client_id and scope as Identity names them
                jwt.TokenValidationParameters.NameClaimType = "name";
                // A token stops at its expiry, as the docs say: Identity and the Gateway share the cluster's clock
                // (the default allows five more minutes).
                jwt.TokenValidationParameters.ClockSkew = TimeSpan.Zero;
                // The web front end sends no token, only its session cookie: the session's access token is used
                // (refreshed first when due), so cookie and bearer callers pass the same checks and scopes.
                jwt.Events = new JwtBearerEvents
                {
                    OnMessageReceived = async context =>
                    {
                        if (context.Request.Headers.Authorization.Count == 0 && WebSessions.SessionIdOf(context.Request) is { } session)
                        {
                            context.Token = await context.HttpContext.RequestServices.GetRequiredService<WebSessions>()
                                .AccessTokenAsync(session, context.HttpContext.RequestAborted);
                        }
                    },
                };
                if (auth.Value.ValidatedTokenCacheSize > 0)
                {
                    var handlers = jwt.TokenHandlers.ToList();
                    jwt.TokenHandlers.Clear();
                    foreach (var handler in handlers)
                    {
                        jwt.TokenHandlers.Add(new ValidatedTokenCache(handler, time, auth.Value.ValidatedTokenCacheSize, auth.Value.ValidatedTokenCacheDuration));
                    }
                }
            });

        services.AddAuthorizationBuilder()
            .AddPolicy(ReadPolicy, policy => policy.RequireAuthenticatedUser().RequireAssertion(c => HasScope(c, PlatformScopes.Read)))
            .AddPolicy(ScorePolicy, policy => policy.RequireAuthenticatedUser().RequireAssertion(c => HasScope(c, PlatformScopes.Score)))
            .AddPolicy(AdminPolicy, policy => policy.RequireAuthenticatedUser().RequireAssertion(c => HasScope(c, PlatformScopes.Admin)));
        return services;
    }

    /// <summary>Identity writes the granted scopes as one space-separated <c>scope</c> claim.</summary>
    public static bool HasScope(AuthorizationHandlerContext context, string scope) =>
        context.User.FindAll("scope").Any(claim => claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(scope));
}
