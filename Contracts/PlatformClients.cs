namespace RedditSentiment.Contracts;

/// <summary>The OAuth clients Identity is seeded with (the AppHost and the manifests) and the Gateway signs in as.</summary>
public static class PlatformClients
{
    /// <summary>Back-end services calling the API for themselves (confidential, client_credentials).</summary>
    public const string Service = "sentiment-service";

    /// <summary>Bulk scoring clients: gRPC streaming through the Gateway (confidential, client_credentials).</summary>
    public const string Bulk = "sentiment-bulk";

    /// <summary>The dashboard and other front ends: public, users sign in with their password.</summary>
    public const string Web = "sentiment-web";

    /// <summary>The first administrator's user name.</summary>
    public const string AdminUserName = "admin";
}
