using Microsoft.Extensions.Configuration;

namespace AppHost.Infrastructure;

/// <summary>
/// The AppHost's <c>Infrastructure</c> settings (environment: <c>Infrastructure__Mode</c>, ...).
/// </summary>
public sealed record InfrastructureSettings(
    InfrastructureMode Mode, string DataDirectory, string RunName, bool IsEphemeral, int? PostgresPort, int? RedisPort)
{
    public const string SectionName = "Infrastructure";

    /// <summary>The folder that holds this run's PostgreSQL and Redis data.</summary>
    public string RunDirectory => Path.Combine(DataDirectory, RunName);

    /// <summary>
    /// Reads the settings. Without a <c>RunName</c> each run gets a fresh folder, so parallel runs (tests,
    /// say) never share a data directory; <c>./scripts/run</c> names its run so local data persists.
    /// </summary>
    public static InfrastructureSettings From(IConfiguration configuration, TimeProvider clock)
    {
        var section = configuration.GetSection(SectionName);

        var modeText = section["Mode"];
        var mode = InfrastructureMode.Auto;
        if (!string.IsNullOrWhiteSpace(modeText) && !Enum.TryParse(modeText, ignoreCase: true, out mode))
        {
            throw new InvalidOperationException(
                $"{SectionName}:Mode is '{modeText}'; expected one of {string.Join(", ", Enum.GetNames<InfrastructureMode>())}.");
        }

        var dataDirectory = section["DataDirectory"] is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Path.Combine(Path.GetTempPath(), $"reddit-sentiment-{Environment.UserName}");

        var isEphemeral = string.IsNullOrEmpty(section["RunName"]);
        var runName = isEphemeral
            ? $"run-{clock.GetUtcNow():yyyyMMdd-HHmmss}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}"
            : ValidateRunName(section["RunName"]!);

        return new InfrastructureSettings(
            mode, dataDirectory, runName, isEphemeral, ReadPort(section, "PostgresPort"), ReadPort(section, "RedisPort"));
    }

    /// <summary>A fixed host port, so operators' psql and redis-cli commands work; unset means random.</summary>
    private static int? ReadPort(IConfigurationSection section, string key) => section[key] switch
    {
        null or "" => null,
        var text when int.TryParse(text, out var port) && port is > 0 and < 65536 => port,
        var text => throw new InvalidOperationException($"{SectionName}:{key} is '{text}'; expected a TCP port (1-65535)."),
    };

    private static string ValidateRunName(string name) =>
        name.Length <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') && name is not ("." or "..")
            ? name
            : throw new InvalidOperationException(
                $"{SectionName}:RunName '{name}' must be at most 64 letters, digits, '-', '_' or '.'.");
}
