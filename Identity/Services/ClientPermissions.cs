using Identity.Model;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Identity.Services;

/// <summary>Turns a seeded client into the OpenIddict registration that enforces what it may do.</summary>
public static class ClientPermissions
{
    /// <summary>
    /// Every client may call the token endpoint and revoke its own tokens; only confidential clients may
    /// introspect (a public client cannot authenticate, so OpenIddict refuses it there anyway).
    /// </summary>
    public static IReadOnlyList<string> For(ClientSeed client)
    {
        var permissions = new List<string> { Permissions.Endpoints.Token, Permissions.Endpoints.Revocation };
        if (client.IsConfidential)
        {
            permissions.Add(Permissions.Endpoints.Introspection);
        }

        permissions.AddRange(client.GrantTypes.Distinct(StringComparer.Ordinal).Select(grant => Permissions.Prefixes.GrantType + grant));
        permissions.AddRange(client.Scopes.Distinct(StringComparer.Ordinal).Select(scope => Permissions.Prefixes.Scope + scope));
        return permissions;
    }

    /// <summary>Overwrites what the settings decide on an existing or new registration; the secret is the caller's.</summary>
    public static void Apply(ClientSeed client, OpenIddictApplicationDescriptor descriptor)
    {
        descriptor.ClientId = client.ClientId;
        descriptor.DisplayName = client.DisplayName ?? client.ClientId;
        descriptor.ClientType = client.IsConfidential ? ClientTypes.Confidential : ClientTypes.Public;
        descriptor.Permissions.Clear();
        descriptor.Permissions.UnionWith(For(client));
    }

    /// <summary>The platform scopes among a registration's permissions.</summary>
    public static IReadOnlyList<string> Scopes(IEnumerable<string> permissions) =>
        [.. permissions.Where(p => p.StartsWith(Permissions.Prefixes.Scope, StringComparison.Ordinal))
            .Select(p => p[Permissions.Prefixes.Scope.Length..])];
}
