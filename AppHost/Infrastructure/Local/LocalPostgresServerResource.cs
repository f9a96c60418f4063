namespace AppHost.Infrastructure.Local;

/// <summary>
/// The Debian PostgreSQL server run as a local process (through <c>postgres-server.sh</c>) when no
/// container runtime exists. Its connection string has the same shape as Aspire's container resource.
/// </summary>
public sealed class LocalPostgresServerResource(string name, string scriptPath, string workingDirectory, ParameterResource password)
    : ExecutableResource(name, "bash", workingDirectory), IResourceWithConnectionString
{
    public const string PrimaryEndpointName = "tcp";

    private EndpointReference? _primaryEndpoint;

    public string ScriptPath { get; } = scriptPath;

    public ParameterResource PasswordParameter { get; } = password;

    public EndpointReference PrimaryEndpoint => _primaryEndpoint ??= new(this, PrimaryEndpointName);

    /// <summary>A server-level connection string; the databases add <c>Database=</c>.</summary>
    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={PrimaryEndpoint.Property(EndpointProperty.Host)};Port={PrimaryEndpoint.Property(EndpointProperty.Port)};Username={ResourceNames.DatabaseUser};Password={PasswordParameter}");
}
