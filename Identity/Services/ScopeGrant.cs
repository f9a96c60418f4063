using Identity.Model;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Identity.Services;

/// <summary>The outcome of matching requested scopes to allowed ones.</summary>
public sealed record ScopeDecision(IReadOnlyList<string> Granted, IReadOnlyList<string> Refused)
{
    public bool IsGranted => Refused.Count == 0;
}

/// <summary>Which scopes a token carries.</summary>
public static class ScopeGrant
{
    /// <summary>The protocol scopes a user's token may carry besides platform scopes.</summary>
    public static readonly IReadOnlyList<string> UserProtocolScopes = [Scopes.OpenId, Scopes.OfflineAccess];

    /// <summary>Scopes a seeded user may be granted when the settings name none.</summary>
    public static readonly IReadOnlyList<string> DefaultUserScopes = [PlatformScopes.Read, PlatformScopes.Score];

    /// <summary>
    /// No scope requested means every allowed scope; otherwise each requested scope must be allowed (or be
    /// one of <paramref name="protocolScopes"/>), and a request with any other is refused whole
    /// (<c>invalid_scope</c>) rather than silently narrowed.
    /// </summary>
    public static ScopeDecision Resolve(IEnumerable<string> requested, IEnumerable<string> allowed, IEnumerable<string>? protocolScopes = null)
    {
        var allowedSet = allowed.ToHashSet(StringComparer.Ordinal);
        var requestedList = requested.Distinct(StringComparer.Ordinal).ToList();
        if (requestedList.Count == 0)
        {
            return new ScopeDecision([.. allowedSet.Order(StringComparer.Ordinal)], []);
        }

        var protocol = (protocolScopes ?? []).ToHashSet(StringComparer.Ordinal);
        var refused = requestedList.Where(s => !allowedSet.Contains(s) && !protocol.Contains(s)).ToList();
        return refused.Count == 0 ? new ScopeDecision(requestedList, []) : new ScopeDecision([], refused);
    }

    /// <summary>A user's scopes: those of the settings, else every scope for the admin and the default for others.</summary>
    public static IReadOnlyList<string> ForUser(UserSeed user, bool isAdmin) =>
        user.Scopes.Count > 0 ? [.. user.Scopes.Distinct(StringComparer.Ordinal)] : isAdmin ? PlatformScopes.All : DefaultUserScopes;
}
