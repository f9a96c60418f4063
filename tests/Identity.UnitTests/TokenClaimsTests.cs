using Identity.Services;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Identity.UnitTests;

public sealed class TokenClaimsTests
{
    [Fact]
    public void A_client_token_is_about_the_client_with_the_granted_scopes_and_the_api_audience()
    {
        var principal = TokenClaims.ForClient("service", null, [PlatformScopes.Read], PlatformScopes.ApiAudience);

        Assert.Equal("service", principal.GetClaim(Claims.Subject));
        Assert.Equal("service", principal.GetClaim(Claims.Name));
        Assert.Equal([PlatformScopes.Read], principal.GetScopes().ToArray());
        Assert.Equal([PlatformScopes.ApiAudience], principal.GetResources().ToArray());
    }

    [Fact]
    public void Identity_tokens_get_only_who_the_user_is()
    {
        var principal = TokenClaims.ForUser("42", "alice", [PlatformScopes.Read, Scopes.OpenId], PlatformScopes.ApiAudience);

        foreach (var claim in principal.Claims)
        {
            var destinations = claim.GetDestinations();
            Assert.Contains(Destinations.AccessToken, destinations);
            Assert.Equal(claim.Type is Claims.Subject or Claims.Name, destinations.Contains(Destinations.IdentityToken));
        }

        Assert.Equal("42", principal.GetClaim(Claims.Subject));
    }
}
