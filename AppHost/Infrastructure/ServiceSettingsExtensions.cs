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
        var section = project.ApplicationBuilder.Configuration.GetSection($"{SectionName}:{project.Resource.Name}");
        foreach (var setting in section.GetChildren().Where(s => s.Value is not null))
        {
            project.WithEnvironment(setting.Key, setting.Value!);
        }

        return project;
    }
}
