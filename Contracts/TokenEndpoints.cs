namespace RedditSentiment.Contracts;

/// <summary>The token server's paths (the discovery document lists them too), for Identity and its callers.</summary>
public static class TokenEndpoints
{
    public const string Token = "/connect/token";
    public const string Introspection = "/connect/introspect";
    public const string Revocation = "/connect/revoke";
    public const string Discovery = "/.well-known/openid-configuration";
    public const string Jwks = "/.well-known/jwks";
}
