using Microsoft.Extensions.Configuration;

namespace AppHost.Infrastructure;

/// <summary>
/// Lets whoever starts the AppHost override a service's settings without editing it:
/// <c>--ServiceSettings:collector:Collector__Workers__Count=4</c> (or the environment variable
/// <c>ServiceSettings__collector__Collector__Workers__Count=4</c>) reaches the Collector as
/// <c>Collector__Workers__Count=4</c>. Benchmarks and experiments use it; secrets belong in parameters.
/// </summary>
public static class ServiceSettingsExtensions
{
    public const string SectionName = "ServiceSettings";

    public static IResourceBuilder<ProjectResource> WithServiceSettings(this IResourceBuilder<ProjectResource> project)
    {
        foreach (var (name, value) in EnvironmentFor(project.ApplicationBuilder.Configuration, project.Resource.Name))
        {
            project.WithEnvironment(name, value);
        }

        return project;
    }

    /// <summary>
    /// The environment variables a service gets from <c>ServiceSettings:{resource}</c>. The environment variable
    /// form arrives with every <c>__</c> already turned into a section separator, so the settings are read as the
    /// section's whole subtree and their paths joined back with <c>__</c>.
    /// </summary>
    public static IReadOnlyList<(string Name, string Value)> EnvironmentFor(IConfiguration configuration, string resourceName) =>
        configuration.GetSection($"{SectionName}:{resourceName}")
            .AsEnumerable(makePathsRelative: true)
            .Where(setting => setting.Value is not null)
            .Select(setting => (setting.Key.Replace(":", "__", StringComparison.Ordinal), setting.Value!))
            .OrderBy(setting => setting.Item1, StringComparer.Ordinal)
            .ToList();
}
