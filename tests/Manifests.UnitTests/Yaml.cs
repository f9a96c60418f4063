using k8s;
using Manifests.UnitTests.Crds;

namespace Manifests.UnitTests;

/// <summary>
/// Strict YAML loading: built-in kinds into the KubernetesClient's models, the Prometheus operator's and
/// kustomize's kinds into the typed models of this project (their fields from the CRD schemas). Any
/// unknown field, wrong type or unknown kind throws.
/// </summary>
public static class Yaml
{
    private static readonly Dictionary<string, Type> CustomKinds = new()
    {
        ["monitoring.coreos.com/v1/ServiceMonitor"] = typeof(ServiceMonitor),
        ["monitoring.coreos.com/v1/PrometheusRule"] = typeof(PrometheusRule),
        ["kustomize.config.k8s.io/v1beta1/Kustomization"] = typeof(Kustomization),
    };

    public static IReadOnlyList<object> LoadStrict(string yaml) =>
        KubernetesYaml.LoadAllFromString(yaml, CustomKinds, strict: true).Where(o => o is not null).ToList();
}
