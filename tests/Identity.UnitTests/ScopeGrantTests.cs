using Identity.Model;
using Identity.Services;

namespace Identity.UnitTests;

public sealed class ScopeGrantTests
{
    private static readonly string[] ReadScore = [PlatformScopes.Read, PlatformScopes.Score];

    [Fact]
    public void No_scope_requested_grants_every_allowed_scope()
    {
        var decision = ScopeGrant.Resolve([], ReadScore);

        Assert.True(decision.IsGranted);
        Assert.Equal(ReadScore, decision.Granted);
    }

    [Fact]
    public void A_subset_is_granted_as_requested()
    {
        var decision = ScopeGrant.Resolve([PlatformScopes.Score], ReadScore);

        Assert.Equal([PlatformScopes.Score], decision.Granted);
    }

    [Fact]
    public void A_scope_beyond_the_allowed_refuses_the_whole_request()
    {
        var decision = ScopeGrant.Resolve([PlatformScopes.Read, PlatformScopes.Admin], ReadScore);

        Assert.False(decision.IsGranted);
        Assert.Empty(decision.Granted);
        Assert.Equal([PlatformScopes.Admin], decision.Refused);
    }

    [Fact]
    public void Users_may_add_protocol_scopes_but_clients_may_not()
    {
        string[] requested = [PlatformScopes.Read, "offline_access", "openid"];

        Assert.True(ScopeGrant.Resolve(requested, ReadScore, ScopeGrant.UserProtocolScopes).IsGranted);
        Assert.Equal(["offline_access", "openid"], ScopeGrant.Resolve(requested, ReadScore).Refused);
    }

    [Fact]
    public void Seeded_users_get_their_configured_scopes_else_a_default_by_role()
    {
        Assert.Equal(PlatformScopes.All, ScopeGrant.ForUser(new UserSeed(), isAdmin: true));
        Assert.Equal(ReadScore, ScopeGrant.ForUser(new UserSeed(), isAdmin: false));
        Assert.Equal([PlatformScopes.Read], ScopeGrant.ForUser(new UserSeed { Scopes = [PlatformScopes.Read, PlatformScopes.Read] }, isAdmin: true));
    }
}
