namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The names of the platform's own meters and activity sources. A service that adds a meter or a source
/// adds its name here, so telemetry is exported by every service without per-service wiring.
/// </summary>
public static class PlatformTelemetry
{
    public const string Prefix = "RedditSentiment";

    public static readonly string[] MeterNames = [$"{Prefix}.*"];

    public static readonly string[] ActivitySourceNames = [$"{Prefix}.*"];
}
