using Microsoft.Extensions.Configuration;

namespace AppHost.Infrastructure;

/// <summary>
/// The AppHost's <c>Infrastructure</c> settings (environment: <c>Infrastructure__Mode</c>, ...).
/// </summary>
public sealed record InfrastructureSettings(InfrastructureMode Mode, string DataDirectory, string RunName, bool IsEphemeral)
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

        return new InfrastructureSettings(mode, dataDirectory, runName, isEphemeral);
    }

    private static string ValidateRunName(string name) =>
        name.Length <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') && name is not ("." or "..")
            ? name
            : throw new InvalidOperationException(
                $"{SectionName}:RunName '{name}' must be at most 64 letters, digits, '-', '_' or '.'.");
}
