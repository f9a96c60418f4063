namespace AppHost.Infrastructure.Local;

/// <summary>
/// The Debian redis-server run as a local process (through <c>redis-server.sh</c>) when no container
/// runtime exists. Its connection string has the same shape as Aspire's Redis container resource.
/// </summary>
public sealed class LocalRedisResource(string name, string scriptPath, string workingDirectory, ParameterResource password)
    : ExecutableResource(name, "bash", workingDirectory), IResourceWithConnectionString
{
    public const string PrimaryEndpointName = "tcp";

    private EndpointReference? _primaryEndpoint;

    public string ScriptPath { get; } = scriptPath;

    public ParameterResource PasswordParameter { get; } = password;

    public EndpointReference PrimaryEndpoint => _primaryEndpoint ??= new(this, PrimaryEndpointName);

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"{PrimaryEndpoint.Property(EndpointProperty.Host)}:{PrimaryEndpoint.Property(EndpointProperty.Port)},password={PasswordParameter}");
}
