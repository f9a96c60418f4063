using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Manifests.UnitTests.Crds;

// Typed models of the custom kinds the kit uses, with the fields of their schemas that the kit may set
// (prometheus-operator monitoring.coreos.com/v1; kustomize v1beta1). Strict loading rejects any other field.

public sealed class ServiceMonitor : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = "";
    [JsonPropertyName("kind")] public string Kind { get; set; } = "";
    [JsonPropertyName("metadata")] public V1ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public ServiceMonitorSpec? Spec { get; set; }
}

public sealed class ServiceMonitorSpec
{
    [JsonPropertyName("selector")] public V1LabelSelector? Selector { get; set; }
    [JsonPropertyName("endpoints")] public List<ServiceMonitorEndpoint>? Endpoints { get; set; }
    [JsonPropertyName("namespaceSelector")] public NamespaceSelector? NamespaceSelector { get; set; }
    [JsonPropertyName("jobLabel")] public string? JobLabel { get; set; }
    [JsonPropertyName("targetLabels")] public List<string>? TargetLabels { get; set; }
    [JsonPropertyName("podTargetLabels")] public List<string>? PodTargetLabels { get; set; }
}

public sealed class NamespaceSelector
{
    [JsonPropertyName("any")] public bool? Any { get; set; }
    [JsonPropertyName("matchNames")] public List<string>? MatchNames { get; set; }
}

public sealed class ServiceMonitorEndpoint
{
    [JsonPropertyName("port")] public string? Port { get; set; }
    [JsonPropertyName("targetPort")] public IntOrString? TargetPort { get; set; }
    [JsonPropertyName("path")] public string? Path { get; set; }
    [JsonPropertyName("scheme")] public string? Scheme { get; set; }
    [JsonPropertyName("interval")] public string? Interval { get; set; }
    [JsonPropertyName("scrapeTimeout")] public string? ScrapeTimeout { get; set; }
    [JsonPropertyName("honorLabels")] public bool? HonorLabels { get; set; }
}

public sealed class PrometheusRule : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = "";
    [JsonPropertyName("kind")] public string Kind { get; set; } = "";
    [JsonPropertyName("metadata")] public V1ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public PrometheusRuleSpec? Spec { get; set; }
}

public sealed class PrometheusRuleSpec
{
    [JsonPropertyName("groups")] public List<RuleGroup>? Groups { get; set; }
}

public sealed class RuleGroup
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("interval")] public string? Interval { get; set; }
    [JsonPropertyName("rules")] public List<Rule>? Rules { get; set; }
}

public sealed class Rule
{
    [JsonPropertyName("alert")] public string? Alert { get; set; }
    [JsonPropertyName("record")] public string? Record { get; set; }
    [JsonPropertyName("expr")] public string? Expr { get; set; }
    [JsonPropertyName("for")] public string? For { get; set; }
    [JsonPropertyName("labels")] public Dictionary<string, string>? Labels { get; set; }
    [JsonPropertyName("annotations")] public Dictionary<string, string>? Annotations { get; set; }
}

public sealed class Kustomization : IKubernetesObject
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = "";
    [JsonPropertyName("kind")] public string Kind { get; set; } = "";
    [JsonPropertyName("namespace")] public string? Namespace { get; set; }
    [JsonPropertyName("resources")] public List<string>? Resources { get; set; }
    [JsonPropertyName("images")] public List<KustomizeImage>? Images { get; set; }
    [JsonPropertyName("replicas")] public List<KustomizeReplicas>? Replicas { get; set; }
    [JsonPropertyName("patches")] public List<KustomizePatch>? Patches { get; set; }
    [JsonPropertyName("configMapGenerator")] public List<KustomizeConfigMapGenerator>? ConfigMapGenerator { get; set; }
}

public sealed class KustomizeImage
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("newName")] public string? NewName { get; set; }
    [JsonPropertyName("newTag")] public string? NewTag { get; set; }
    [JsonPropertyName("digest")] public string? Digest { get; set; }
}

public sealed class KustomizeReplicas
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("count")] public int Count { get; set; }
}

public sealed class KustomizePatch
{
    [JsonPropertyName("path")] public string? Path { get; set; }
    [JsonPropertyName("patch")] public string? Patch { get; set; }
    [JsonPropertyName("target")] public Dictionary<string, string>? Target { get; set; }
}

public sealed class KustomizeConfigMapGenerator
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("files")] public List<string>? Files { get; set; }
    [JsonPropertyName("literals")] public List<string>? Literals { get; set; }
    [JsonPropertyName("options")] public KustomizeGeneratorOptions? Options { get; set; }
}

public sealed class KustomizeGeneratorOptions
{
    [JsonPropertyName("disableNameSuffixHash")] public bool? DisableNameSuffixHash { get; set; }
    [JsonPropertyName("labels")] public Dictionary<string, string>? Labels { get; set; }
    [JsonPropertyName("annotations")] public Dictionary<string, string>? Annotations { get; set; }
}
