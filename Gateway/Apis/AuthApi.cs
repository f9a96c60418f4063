using System.Security.Claims;
using Gateway.Infrastructure;
using Gateway.Services;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Gateway.Apis;

public sealed record LoginRequest(string? UserName, string? Password, string? Scope);

/// <summary>What the web front end learns at sign-in: who, what they may do, until when. No token.</summary>
public sealed record SessionInfo(string? Name, IReadOnlyList<string> Scopes, DateTimeOffset ExpiresAt);

public sealed record UserProfile(string Subject, string? Name, string? ClientId, IReadOnlyList<string> Scopes, DateTimeOffset? TokenExpiresAt);

/// <summary>
/// <c>/auth</c>: web sign-in (<c>login</c>) and sign-out (<c>logout</c>) as a backend for frontend: Identity's
/// tokens stay in the session in Redis (<c>session:{id}</c>), the browser gets an <c>HttpOnly</c>,
/// <c>SameSite=Strict</c> cookie, and the Gateway refreshes the access token itself (<see cref="WebSessions"/>);
/// and <c>/api/v1/user/profile</c>. Programs take their tokens from Identity directly.
/// </summary>
public static class AuthApi
{
    public static WebApplication MapAuthApi(this WebApplication app, RouteGroupBuilder api)
    {
        var auth = app.MapGroup("/auth").WithTags("Auth").RequireRateLimiting(RateLimiting.PerClientPolicy);
        auth.MapPost("/login", Login).WithName("Login").WithSummary("Signs a web user in with a password: a session cookie, no tokens");
        auth.MapPost("/logout", Logout).WithName("Logout").WithSummary("Ends the cookie's session and revokes its refresh token");

        api.MapGet("/user/profile", Profile).WithName("UserProfile").WithTags("Auth")
            .WithSummary("Who the token (or the session cookie) belongs to and what it may do").RequireAuthorization(Authentication.ReadPolicy);
        return app;
    }

    public static async Task<Results<Ok<SessionInfo>, ValidationProblem, ProblemHttpResult>> Login(
        LoginRequest request, IdentityClient identity, SessionStore sessions, WebSessions web, IOptions<WebSessionOptions> options, HttpContext context)
    {
        if (string.IsNullOrWhiteSpace(request.UserName) || string.IsNullOrEmpty(request.Password))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["userName"] = ["Give userName and password."] });
        }

        var (tokens, error) = await identity.PasswordAsync(request.UserName, request.Password, request.Scope ?? PlatformScopes.Read);
        if (error is not null)
        {
            return Refused(error, context);
        }

        // A session cookie the browser already had is replaced, so a planted session id never becomes this user's.
        if (WebSessions.SessionIdOf(context.Request) is { } previous)
        {
            await sessions.DeleteAsync(previous);
        }

        var session = await sessions.CreateAsync(request.UserName, request.UserName, tokens!, options.Value.Lifetime);
        web.SetCookie(context, session);
        return TypedResults.Ok(new SessionInfo(session.Name, ScopesOf(session.Scope), session.ExpiresAt));
    }

    public static async Task<NoContent> Logout(IdentityClient identity, SessionStore sessions, HttpContext context)
    {
        if (WebSessions.SessionIdOf(context.Request) is { } id && await sessions.GetAsync(id) is { } session)
        {
            await identity.RevokeAsync(session.RefreshToken);
            await sessions.DeleteAsync(id);
        }

        WebSessions.DeleteCookie(context);
        return TypedResults.NoContent();
    }

    private static List<string> ScopesOf(string? scope) => (scope ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();

    public static Ok<UserProfile> Profile(ClaimsPrincipal user)
    {
        var expires = long.TryParse(user.FindFirst("exp")?.Value, out var exp) ? DateTimeOffset.FromUnixTimeSeconds(exp) : (DateTimeOffset?)null;
        return TypedResults.Ok(new UserProfile(
            user.FindFirst("sub")?.Value ?? "",
            user.FindFirst("name")?.Value,
            user.FindFirst("client_id")?.Value,
            user.FindAll("scope").SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList(),
            expires));
    }

    private static ProblemHttpResult Refused(TokenError error, HttpContext context)
    {
        if (error.Status == StatusCodes.Status429TooManyRequests)
        {
            var seconds = RateLimiting.RetryAfterSeconds(error.RetryAfter);
            context.Response.Headers.RetryAfter = seconds;
            return TypedResults.Problem($"Too many sign-in attempts from this address; retry after {seconds} s.",
                statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests");
        }

        return TypedResults.Problem(
            error.Description ?? error.Error,
            statusCode: error.Status is 400 or 401 ? StatusCodes.Status401Unauthorized : error.Status,
            title: error.Error == "invalid_grant" ? "Sign-in refused" : "Identity refused the request");
    }
}
