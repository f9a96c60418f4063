using Identity.Model;
using Identity.Services;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Identity.UnitTests;

public sealed class ClientPermissionsTests
{
    [Fact]
    public void A_confidential_service_client_may_use_token_introspection_and_revocation_with_its_grant_and_scopes()
    {
        var client = new ClientSeed
        {
            ClientId = "service", ClientSecret = "s3cret", GrantTypes = ["client_credentials"], Scopes = [PlatformScopes.Read, PlatformScopes.Score],
        };

        Assert.Equal(
            new[]
            {
                Permissions.Endpoints.Token, Permissions.Endpoints.Revocation, Permissions.Endpoints.Introspection,
                "gt:client_credentials", "scp:sentiment.read", "scp:sentiment.score",
            }.Order(),
            ClientPermissions.For(client).Order());
    }

    [Fact]
    public void A_public_web_client_gets_its_grants_but_no_introspection()
    {
        var client = new ClientSeed { ClientId = "web", GrantTypes = ["password", "refresh_token"], Scopes = [.. PlatformScopes.All] };

        var permissions = ClientPermissions.For(client);

        Assert.DoesNotContain(Permissions.Endpoints.Introspection, permissions);
        Assert.Contains(Permissions.GrantTypes.Password, permissions);
        Assert.Contains(Permissions.GrantTypes.RefreshToken, permissions);
        Assert.Contains("scp:sentiment.admin", permissions);
    }

    [Fact]
    public void Apply_replaces_what_the_settings_decide_and_sets_the_client_type()
    {
        var descriptor = new OpenIddictApplicationDescriptor { ClientId = "web", DisplayName = "Old name" };
        descriptor.Permissions.Add("scp:sentiment.admin");

        ClientPermissions.Apply(new ClientSeed { ClientId = "web", GrantTypes = ["password"], Scopes = [PlatformScopes.Read] }, descriptor);

        Assert.Equal(ClientTypes.Public, descriptor.ClientType);
        Assert.Equal("web", descriptor.DisplayName);
        Assert.DoesNotContain("scp:sentiment.admin", descriptor.Permissions);
        Assert.Contains("scp:sentiment.read", descriptor.Permissions);

        ClientPermissions.Apply(new ClientSeed { ClientId = "web", ClientSecret = "x", DisplayName = "Web", GrantTypes = ["password"] }, descriptor);
        Assert.Equal(ClientTypes.Confidential, descriptor.ClientType);
        Assert.Equal("Web", descriptor.DisplayName);
    }

    [Fact]
    public void Scopes_are_read_back_from_permissions()
    {
        Assert.Equal([PlatformScopes.Read, PlatformScopes.Admin],
            ClientPermissions.Scopes([Permissions.Endpoints.Token, "scp:sentiment.read", "gt:password", "scp:sentiment.admin"]));
    }
}
