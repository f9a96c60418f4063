using System.Security.Claims;
using Gateway.Infrastructure;
using Gateway.Services;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Gateway.Apis;

public sealed record LoginRequest(string? UserName, string? Password, string? Scope);

/// <summary>Body of <c>POST /auth/refresh</c>: <c>{"refresh_token": …}</c> as OAuth names it, or a session id.</summary>
public sealed record RefreshRequest(
    [property: System.Text.Json.Serialization.JsonPropertyName("refresh_token")] string? RefreshToken,
    string? SessionId);

public sealed record LogoutRequest(string? SessionId);

/// <summary>Tokens for the web front end, and the session that remembers its refresh token.</summary>
public sealed record SessionTokens(string AccessToken, int ExpiresIn, string? RefreshToken, string? Scope, string SessionId, DateTimeOffset SessionExpiresAt);

public sealed record UserProfile(string Subject, string? Name, string? ClientId, IReadOnlyList<string> Scopes, DateTimeOffset? TokenExpiresAt);

/// <summary>Section <c>Gateway:Sessions</c>.</summary>
public sealed class WebSessionOptions
{
    public const string SectionName = "Gateway:Sessions";

    /// <summary>How long a web session lives without a refresh (Identity's refresh tokens live 14 days).</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromDays(14);
}

/// <summary>
/// <c>/auth</c>: sign-in (<c>login</c>), <c>refresh</c> and <c>logout</c> for web users, brokered to Identity,
/// with the session kept in Redis (<c>session:{id}</c>); and <c>/api/v1/user/profile</c>.
/// </summary>
public static class AuthApi
{
    public static WebApplication MapAuthApi(this WebApplication app, RouteGroupBuilder api)
    {
        var auth = app.MapGroup("/auth").WithTags("Auth").RequireRateLimiting(RateLimiting.PerClientPolicy);
        auth.MapPost("/login", Login).WithName("Login").WithSummary("Signs a user in with a password; opens a session");
        auth.MapPost("/refresh", Refresh).WithName("Refresh").WithSummary("New tokens for a refresh token (or a session id)");
        auth.MapPost("/logout", Logout).WithName("Logout").WithSummary("Ends a session and revokes its refresh token");

        api.MapGet("/user/profile", Profile).WithName("UserProfile").WithTags("Auth")
            .WithSummary("Who the token belongs to and what it may do").RequireAuthorization(Authentication.ReadPolicy);
        return app;
    }

    public static async Task<Results<Ok<SessionTokens>, ValidationProblem, ProblemHttpResult>> Login(
        LoginRequest request, IdentityClient identity, SessionStore sessions, IOptions<WebSessionOptions> options, HttpContext context)
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

        var session = await sessions.CreateAsync(request.UserName, request.UserName, tokens!.RefreshToken ?? "", options.Value.Lifetime);
        return TypedResults.Ok(new SessionTokens(tokens.AccessToken, tokens.ExpiresIn, tokens.RefreshToken, tokens.Scope, session.Id, session.ExpiresAt));
    }

    public static async Task<Results<Ok<SessionTokens>, ValidationProblem, ProblemHttpResult>> Refresh(
        RefreshRequest request, IdentityClient identity, SessionStore sessions, IOptions<WebSessionOptions> options, HttpContext context)
    {
        var session = request.SessionId is { Length: > 0 } id ? await sessions.GetAsync(id) : null;
        if (session is not null && request.RefreshToken is { Length: > 0 } && request.RefreshToken != session.RefreshToken)
        {
            // A session renews only with its own refresh token: another one would make it mint someone else's tokens.
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["refresh_token"] = ["Give either a session id or a refresh token, not another session's token."] });
        }

        var refreshToken = session?.RefreshToken ?? request.RefreshToken;
        if (string.IsNullOrEmpty(refreshToken))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["refresh_token"] = ["Give refresh_token, or the session_id of a live session."] });
        }

        var (tokens, error) = await identity.RefreshAsync(refreshToken);
        if (error is not null)
        {
            return Refused(error, context);
        }

        session = session is null
            ? await sessions.CreateAsync("", null, tokens!.RefreshToken ?? refreshToken, options.Value.Lifetime)
            : await sessions.RenewAsync(session, tokens!.RefreshToken ?? refreshToken, options.Value.Lifetime);
        return TypedResults.Ok(new SessionTokens(tokens.AccessToken, tokens.ExpiresIn, tokens.RefreshToken, tokens.Scope, session.Id, session.ExpiresAt));
    }

    public static async Task<NoContent> Logout(LogoutRequest request, IdentityClient identity, SessionStore sessions)
    {
        if (request.SessionId is { Length: > 0 } id && await sessions.GetAsync(id) is { } session)
        {
            await identity.RevokeAsync(session.RefreshToken);
            await sessions.DeleteAsync(id);
        }

        return TypedResults.NoContent();
    }

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
