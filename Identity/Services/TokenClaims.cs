using System.Collections.Immutable;
using System.Security.Claims;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Identity.Services;

/// <summary>The identities behind the tokens Identity issues, and which claims go into which token.</summary>
public static class TokenClaims
{
    /// <summary>A user claim (in <c>AspNetUserClaims</c>) naming a platform scope the user may be granted.</summary>
    public const string AllowedScope = "allowed_scope";

    /// <summary>A client acting for itself: <c>sub</c> is the client id.</summary>
    public static ClaimsPrincipal ForClient(string clientId, string? displayName, IEnumerable<string> scopes, string audience) =>
        Create(clientId, displayName ?? clientId, scopes, audience);

    /// <summary>A user: <c>sub</c> is the user id, <c>name</c> the user name.</summary>
    public static ClaimsPrincipal ForUser(string userId, string userName, IEnumerable<string> scopes, string audience) =>
        Create(userId, userName, scopes, audience);

    private static ClaimsPrincipal Create(string subject, string name, IEnumerable<string> scopes, string audience)
    {
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, subject).SetClaim(Claims.Name, name);
        identity.SetScopes(scopes.ToImmutableArray());
        identity.SetResources(audience);
        identity.SetDestinations(Destinations);
        return new ClaimsPrincipal(identity);
    }

    /// <summary>Access tokens get every claim; identity tokens (scope <c>openid</c>) only who the subject is.</summary>
    public static IEnumerable<string> Destinations(Claim claim) => claim.Type switch
    {
        Claims.Subject or Claims.Name => [OpenIddictConstants.Destinations.AccessToken, OpenIddictConstants.Destinations.IdentityToken],
        _ => [OpenIddictConstants.Destinations.AccessToken],
    };
}
