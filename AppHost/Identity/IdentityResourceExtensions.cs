namespace AppHost.Identity;

/// <summary>
/// What the Identity token server needs from the app model: its issuer URL, the seeded clients and first
/// admin, with every secret an Aspire parameter (generated on first run and kept in the AppHost's user
/// secrets, like <c>postgres-password</c>), passed as environment variables and never committed.
/// </summary>
public static class IdentityResourceExtensions
{
    public const string AdminPasswordParameter = "identity-admin-password";
    public const string ServiceClientSecretParameter = "identity-service-client-secret";
    public const string BulkClientSecretParameter = "identity-bulk-client-secret";


    public static IResourceBuilder<ProjectResource> WithTokenServerSettings(this IResourceBuilder<ProjectResource> identity)
    {
        var builder = identity.ApplicationBuilder;
        var adminPassword = AddSecret(builder, AdminPasswordParameter);
        var serviceSecret = AddSecret(builder, ServiceClientSecretParameter);
        var bulkSecret = AddSecret(builder, BulkClientSecretParameter);

        // Tokens name the address the Gateway reaches Identity at, however the client reached it.
        identity.WithEnvironment("Identity__Issuer", identity.GetEndpoint("http"))
            .WithEnvironment("Identity__Admin__UserName", PlatformClients.AdminUserName)
            .WithEnvironment("Identity__Admin__Password", adminPassword);

        WithClient(identity, 0, PlatformClients.Service, serviceSecret, ["client_credentials"], [PlatformScopes.Read, PlatformScopes.Score]);
        WithClient(identity, 1, PlatformClients.Bulk, bulkSecret, ["client_credentials"], [PlatformScopes.Read, PlatformScopes.Score]);
        WithClient(identity, 2, PlatformClients.Web, secret: null, ["password", "refresh_token"], PlatformScopes.All);
        return identity;
    }

    private static IResourceBuilder<ParameterResource> AddSecret(IDistributedApplicationBuilder builder, string name) =>
        builder.AddParameter(name,
            new GenerateParameterDefault { MinLength = 32, Special = false, MinLower = 1, MinUpper = 1, MinNumeric = 1 },
            secret: true, persist: true);

    private static void WithClient(IResourceBuilder<ProjectResource> identity, int index, string clientId,
        IResourceBuilder<ParameterResource>? secret, string[] grantTypes, IEnumerable<string> scopes)
    {
        var prefix = $"Identity__Clients__{index}__";
        identity.WithEnvironment(prefix + "ClientId", clientId);
        if (secret is not null)
        {
            identity.WithEnvironment(prefix + "ClientSecret", secret);
        }

        foreach (var (grant, i) in grantTypes.Select((g, i) => (g, i)))
        {
            identity.WithEnvironment($"{prefix}GrantTypes__{i}", grant);
        }

        foreach (var (scope, i) in scopes.Select((s, i) => (s, i)))
        {
            identity.WithEnvironment($"{prefix}Scopes__{i}", scope);
        }
    }
}
