using Identity.Model;
using Identity.Services;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Identity.Apis;

/// <summary>
/// The token endpoint's own logic. OpenIddict has already checked the request (client authentication,
/// grant type and scope permissions) before it passes it through to this handler, which decides who the
/// token is for and what it may do.
/// </summary>
public static class TokenApi
{
    public static IEndpointRouteBuilder MapTokenApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(TokenEndpoints.Token, ExchangeAsync)
            .WithName("ExchangeToken")
            .WithSummary("Issues tokens for the client_credentials, password and refresh_token grants.")
            .WithTags("OpenID Connect")
            .DisableAntiforgery();
        return app;
    }

    public static async Task<Results<SignInHttpResult, ForbidHttpResult>> ExchangeAsync([AsParameters] TokenRequestServices services)
    {
        var request = services.HttpContext.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The token request did not come through OpenIddict.");

        if (request.IsClientCredentialsGrantType())
        {
            return await ClientCredentialsAsync(request, services);
        }

        if (request.IsPasswordGrantType())
        {
            return await PasswordAsync(request, services);
        }

        if (request.IsRefreshTokenGrantType())
        {
            return await RefreshAsync(services);
        }

        // OpenIddict refuses grant types the server does not enable, so this is never reached.
        return Reject(Errors.UnsupportedGrantType, "The grant type is not supported.");
    }

    private static async Task<Results<SignInHttpResult, ForbidHttpResult>> ClientCredentialsAsync(
        OpenIddictRequest request, TokenRequestServices services)
    {
        var application = await services.Applications.FindByClientIdAsync(request.ClientId!)
            ?? throw new InvalidOperationException("OpenIddict authenticated a client it cannot find.");
        var allowed = ClientPermissions.Scopes(await services.Applications.GetPermissionsAsync(application));
        var decision = ScopeGrant.Resolve(request.GetScopes(), allowed);
        if (!decision.IsGranted)
        {
            return Reject(Errors.InvalidScope, $"The client may not request {string.Join(", ", decision.Refused)}.");
        }

        var displayName = await services.Applications.GetDisplayNameAsync(application);
        return SignIn(TokenClaims.ForClient(request.ClientId!, displayName, decision.Granted, services.Options.Value.Audience));
    }

    private static async Task<Results<SignInHttpResult, ForbidHttpResult>> PasswordAsync(
        OpenIddictRequest request, TokenRequestServices services)
    {
        var user = await services.Users.FindByNameAsync(request.Username ?? "");
        if (user is null)
        {
            services.UnknownUser.Spend(request.Password ?? "");
            return InvalidCredentials();
        }

        // Wrong passwords lock the account against this address (SignInThrottle), never for everyone; a locked
        // pair fails even with the right password. Callers are not told which case they hit.
        var address = Infrastructure.TokenRateLimiting.ClientAddress(services.HttpContext);
        if (services.Throttle.IsLockedOut(user.Id, address))
        {
            services.UnknownUser.Spend(request.Password ?? ""); // as long as a real check
            services.Logger.LogInformation("Password grant refused for {UserName} from {Address}: locked out", user.UserName, address);
            return InvalidCredentials();
        }

        var result = await services.SignIn.CheckPasswordSignInAsync(user, request.Password ?? "", lockoutOnFailure: false);
        if (!result.Succeeded)
        {
            var lockedNow = !result.IsLockedOut && !result.IsNotAllowed && services.Throttle.Failed(user.Id, address);
            services.Logger.LogInformation("Password grant refused for {UserName} from {Address}: {Reason}", user.UserName, address,
                result.IsLockedOut ? "account locked" : result.IsNotAllowed ? "not allowed" : lockedNow ? "wrong password, now locked out" : "wrong password");
            return InvalidCredentials();
        }

        services.Throttle.Succeeded(user.Id, address);
        var allowed = await UserScopesAsync(user, request.ClientId!, services);
        var decision = ScopeGrant.Resolve(request.GetScopes(), allowed, ScopeGrant.UserProtocolScopes);
        if (!decision.IsGranted)
        {
            return Reject(Errors.InvalidScope, $"The user may not request {string.Join(", ", decision.Refused)}.");
        }

        return SignIn(TokenClaims.ForUser(user.Id, user.UserName!, decision.Granted, services.Options.Value.Audience));
    }

    private static async Task<Results<SignInHttpResult, ForbidHttpResult>> RefreshAsync(TokenRequestServices services)
    {
        // OpenIddict has validated the refresh token (signature, expiry, not revoked or redeemed).
        var previous = (await services.HttpContext.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)).Principal;
        var userId = previous?.GetClaim(Claims.Subject);
        var user = userId is null ? null : await services.Users.FindByIdAsync(userId);
        if (previous is null || user is null || !await services.SignIn.CanSignInAsync(user) || await services.Users.IsLockedOutAsync(user))
        {
            return Reject(Errors.InvalidGrant, "The refresh token is no longer valid.");
        }

        // The user's scopes may have shrunk since the refresh token was issued; never grant more than now.
        var clientId = previous.GetClaim(Claims.ClientId) ?? previous.GetPresenters().FirstOrDefault() ?? "";
        var allowed = (await UserScopesAsync(user, clientId, services)).Concat(ScopeGrant.UserProtocolScopes).ToHashSet(StringComparer.Ordinal);
        var scopes = previous.GetScopes().Where(allowed.Contains);
        return SignIn(TokenClaims.ForUser(user.Id, user.UserName!, scopes, services.Options.Value.Audience));
    }

    /// <summary>The platform scopes both the user and the client are allowed.</summary>
    private static async Task<IReadOnlyList<string>> UserScopesAsync(IdentityUser user, string clientId, TokenRequestServices services)
    {
        var application = await services.Applications.FindByClientIdAsync(clientId);
        var clientScopes = application is null ? [] : ClientPermissions.Scopes(await services.Applications.GetPermissionsAsync(application));
        var userScopes = (await services.Users.GetClaimsAsync(user)).Where(c => c.Type == TokenClaims.AllowedScope).Select(c => c.Value);
        return [.. userScopes.Intersect(clientScopes, StringComparer.Ordinal)];
    }

    private static SignInHttpResult SignIn(System.Security.Claims.ClaimsPrincipal principal) =>
        TypedResults.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);

    private static ForbidHttpResult InvalidCredentials() =>
        Reject(Errors.InvalidGrant, "The user name or password is invalid.");

    private static ForbidHttpResult Reject(string error, string description) =>
        TypedResults.Forbid(
            new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
                [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
            }),
            [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}

/// <summary>What the token endpoint needs, bound by <c>[AsParameters]</c>.</summary>
public sealed record TokenRequestServices(
    HttpContext HttpContext,
    IOpenIddictApplicationManager Applications,
    UserManager<IdentityUser> Users,
    SignInManager<IdentityUser> SignIn,
    UnknownUserPasswordCheck UnknownUser,
    SignInThrottle Throttle,
    IOptions<TokenServerOptions> Options,
    ILogger<TokenRequestServices> Logger);
