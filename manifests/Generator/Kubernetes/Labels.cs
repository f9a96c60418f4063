namespace Manifests.Generator.Kubernetes;

/// <summary>The labels every object carries; <c>app=&lt;name&gt;</c> is the one the runbook selects on.</summary>
public static class Labels
{
    public const string App = "app";
    public const string AspireResourceAnnotation = "reddit-sentiment/aspire-resource";

    public static Dictionary<string, string> For(Workload workload, string partOf) => new()
    {
        [App] = workload.Name,
        ["app.kubernetes.io/name"] = workload.Name,
        ["app.kubernetes.io/component"] = workload.Mapping.Role,
        ["app.kubernetes.io/part-of"] = partOf,
    };

    public static Dictionary<string, string> PartOf(string partOf) => new() { ["app.kubernetes.io/part-of"] = partOf };

    public static Dictionary<string, string> Selector(Workload workload) => new() { [App] = workload.Name };
}
