using Gateway.Services;
using Microsoft.Extensions.Options;

namespace Gateway.Infrastructure;

/// <summary>Section <c>Gateway:Sessions</c>.</summary>
public sealed class WebSessionOptions
{
    public const string SectionName = "Gateway:Sessions";

    /// <summary>How long a web session lives without use (Identity's refresh tokens live 14 days).</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>
    /// Whether the session cookie is <c>Secure</c> (and named <c>__Host-sentiment-session</c>). Unset: when the
    /// request came over HTTPS. Set it to true where TLS ends at an ingress in front of the Gateway.
    /// </summary>
    public bool? SecureCookie { get; set; }
}

/// <summary>
/// The backend-for-frontend side of web sign-in: the browser holds an <c>HttpOnly</c>, <c>SameSite=Strict</c>
/// cookie with the session's id and nothing else; the Gateway keeps the session's tokens in Redis
/// (<see cref="SessionStore"/>), puts the access token on each cookie-authenticated API request itself, and
/// refreshes it with the session's refresh token shortly before it expires (one refresh per session at a time).
/// </summary>
public sealed class WebSessions(SessionStore store, IServiceProvider services, IOptions<WebSessionOptions> options, TimeProvider time,
    ILogger<WebSessions> logger)
{
    public const string CookieName = "sentiment-session";

    /// <summary>A <c>Secure</c> cookie's name: the <c>__Host-</c> prefix makes browsers refuse it from another host or path.</summary>
    public const string SecureCookieName = "__Host-sentiment-session";

    /// <summary>The header a cookie-authenticated state-changing request must carry (<see cref="CrossSiteRequestGuard"/>).</summary>
    public const string CsrfHeader = "X-CSRF";

    /// <summary>An access token this close to its expiry is refreshed before it is used.</summary>
    internal static readonly TimeSpan RefreshMargin = TimeSpan.FromSeconds(60);

    private readonly SingleFlight<WebSession?> _refreshes = new();

    public static string? SessionIdOf(HttpRequest request) =>
        request.Cookies[SecureCookieName] is { Length: > 0 } secure ? secure
        : request.Cookies[CookieName] is { Length: > 0 } plain ? plain
        : null;

    public void SetCookie(HttpContext context, WebSession session)
    {
        var secure = options.Value.SecureCookie ?? context.Request.IsHttps;
        context.Response.Cookies.Append(secure ? SecureCookieName : CookieName, session.Id, new CookieOptions
        {
            HttpOnly = true,
            Secure = secure,
            SameSite = SameSiteMode.Strict,
            Path = "/",
            Expires = session.ExpiresAt,
            IsEssential = true,
        });
    }

    public static void DeleteCookie(HttpContext context)
    {
        foreach (var name in new[] { CookieName, SecureCookieName })
        {
            if (context.Request.Cookies.ContainsKey(name))
            {
                context.Response.Cookies.Delete(name, new CookieOptions { Path = "/", Secure = name == SecureCookieName, HttpOnly = true, SameSite = SameSiteMode.Strict });
            }
        }
    }

    /// <summary>
    /// The session's access token, refreshed first when it is about to expire; null when there is no such session
    /// or Identity refused its refresh token (revoked, expired): the user must sign in again.
    /// </summary>
    public async Task<string?> AccessTokenAsync(string sessionId, CancellationToken cancellationToken)
    {
        var session = await store.GetAsync(sessionId);
        if (session is null)
        {
            return null;
        }

        if (session.AccessTokenExpiresAt - time.GetUtcNow() > RefreshMargin)
        {
            return session.AccessToken;
        }

        session = await _refreshes.RunAsync(sessionId, () => RefreshAsync(sessionId), cancellationToken);
        return session?.AccessToken;
    }

    private async Task<WebSession?> RefreshAsync(string sessionId)
    {
        // Read again inside the flight: another replica may have refreshed it meanwhile.
        var session = await store.GetAsync(sessionId);
        if (session is null || session.AccessTokenExpiresAt - time.GetUtcNow() > RefreshMargin)
        {
            return session;
        }

        // A typed HttpClient is made per use (its handler rotates); this singleton must not hold one.
        var (tokens, error) = await services.GetRequiredService<IdentityClient>().RefreshAsync(session.RefreshToken);
        if (error is not null)
        {
            logger.LogInformation("A web session's refresh was refused ({Error}); it ends", error.Error);
            if (error.Status is 400 or 401)
            {
                await store.DeleteAsync(sessionId);
            }

            return null;
        }

        return await store.RenewAsync(session, tokens!, options.Value.Lifetime);
    }
}

/// <summary>
/// Cross-site request forgery guard for cookie-authenticated requests: a state-changing request (not GET, HEAD or
/// OPTIONS) that carries the session cookie and no bearer token must carry <c>X-CSRF: 1</c>. A page of another site
/// cannot add a custom header without a CORS preflight, which the Gateway never grants; with <c>SameSite=Strict</c>
/// the cookie is not even sent. Bearer-token clients are not affected: a token is never sent by a browser on its own.
/// </summary>
public static class CrossSiteRequestGuard
{
    public static IApplicationBuilder UseCrossSiteRequestGuard(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !HttpMethods.IsOptions(request.Method)
            && WebSessions.SessionIdOf(request) is not null && !request.Headers.Authorization.Any()
            && request.Headers[WebSessions.CsrfHeader] != "1")
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await Results.Problem($"A request signed in by the session cookie must carry the header {WebSessions.CsrfHeader}: 1.",
                statusCode: StatusCodes.Status403Forbidden, title: "Cross-site request refused").ExecuteAsync(context);
            return;
        }

        await next(context);
    });
}
