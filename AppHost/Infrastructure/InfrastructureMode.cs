namespace AppHost.Infrastructure;

/// <summary>How PostgreSQL and Redis are run.</summary>
public enum InfrastructureMode
{
    /// <summary>Containers when a healthy container runtime answers, local processes otherwise.</summary>
    Auto,

    /// <summary>Aspire's PostgreSQL and Redis containers.</summary>
    Containers,

    /// <summary>The Debian <c>postgresql</c> and <c>redis-server</c> binaries as local processes.</summary>
    Local,
}
