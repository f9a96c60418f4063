namespace Identity.Model;

/// <summary>
/// What Identity makes sure exists at every start (section <c>Identity</c>): the clients, the first admin
/// and any further users. Secrets and passwords arrive as environment variables from the AppHost's secret
/// parameters (or a Kubernetes Secret), never from files in the repository.
/// </summary>
public sealed class SeedOptions
{
    /// <summary><c>Identity:Clients:[n]</c>.</summary>
    public List<ClientSeed> Clients { get; set; } = [];

    /// <summary><c>Identity:Admin</c>: the first administrator; without scopes it gets every platform scope.</summary>
    public UserSeed Admin { get; set; } = new() { UserName = "admin" };

    /// <summary><c>Identity:Users:[n]</c>: further users; without scopes they get <c>sentiment.read</c> and <c>sentiment.score</c>.</summary>
    public List<UserSeed> Users { get; set; } = [];
}

/// <summary>
/// A client application. With a secret it is confidential (it may use <c>client_credentials</c>,
/// introspection and revocation); without one it is public (a web or mobile front end using
/// <c>password</c> and <c>refresh_token</c>).
/// </summary>
public sealed class ClientSeed
{
    public string ClientId { get; set; } = "";

    public string? ClientSecret { get; set; }

    public string? DisplayName { get; set; }

    /// <summary>Platform scopes the client may ask for.</summary>
    public List<string> Scopes { get; set; } = [];

    /// <summary><c>client_credentials</c>, <c>password</c>, <c>refresh_token</c>.</summary>
    public List<string> GrantTypes { get; set; } = [];

    public bool IsConfidential => !string.IsNullOrEmpty(ClientSecret);
}

public sealed class UserSeed
{
    public string UserName { get; set; } = "";

    public string Password { get; set; } = "";

    /// <summary>Platform scopes the user may be granted.</summary>
    public List<string> Scopes { get; set; } = [];
}
