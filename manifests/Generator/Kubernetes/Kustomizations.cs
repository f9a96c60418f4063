using k8s.Models;
using Manifests.Generator.Mapping;

namespace Manifests.Generator.Kubernetes;

/// <summary>The kustomize base, the monitoring kit's kustomization, and the overlays with their patches.</summary>
public static class Kustomizations
{
    public const string ApiVersion = "kustomize.config.k8s.io/v1beta1";
    public const string DashboardConfigMap = "reddit-sentiment-dashboard";

    public static Dictionary<string, object?> Base(IEnumerable<string> files) => new()
    {
        ["apiVersion"] = ApiVersion,
        ["kind"] = "Kustomization",
        ["resources"] = files.ToList(),
    };

    public static Dictionary<string, object?> Monitoring(PlatformModel model, IEnumerable<string> files, string dashboardPath) => new()
    {
        ["apiVersion"] = ApiVersion,
        ["kind"] = "Kustomization",
        ["namespace"] = model.Mapping.Namespace,
        ["resources"] = files.ToList(),
        ["configMapGenerator"] = new List<object>
        {
            new Dictionary<string, object?>
            {
                ["name"] = DashboardConfigMap,
                ["files"] = new List<string> { dashboardPath },
                ["options"] = new Dictionary<string, object?>
                {
                    ["disableNameSuffixHash"] = true,
                    // The label Grafana's dashboard sidecar (kube-prometheus-stack) watches for.
                    ["labels"] = new Dictionary<string, string> { ["grafana_dashboard"] = "1", ["app.kubernetes.io/part-of"] = model.Mapping.PartOf },
                },
            },
        },
    };

    /// <summary>An overlay's kustomization and its patch files (relative path → object).</summary>
    public static (Dictionary<string, object?> Kustomization, IReadOnlyDictionary<string, object> Patches) Overlay(
        PlatformModel model, string name, OverlayMapping overlay)
    {
        var patches = new List<object>();
        var files = new SortedDictionary<string, object>(StringComparer.Ordinal);
        var resources = new List<string> { overlay.Base is { } baseOverlay ? $"../{baseOverlay}" : "../../base" };
        if (overlay.Monitoring == true)
        {
            resources.Add("../../monitoring");
        }

        var kustomization = new Dictionary<string, object?>
        {
            ["apiVersion"] = ApiVersion,
            ["kind"] = "Kustomization",
        };
        if (overlay.Base is null)
        {
            kustomization["namespace"] = model.Mapping.Namespace;
        }

        kustomization["resources"] = resources;

        if (overlay.ImageTag is not null || overlay.ImageRegistry is not null)
        {
            kustomization["images"] = model.Projects
                .Select(w => w.Image[..w.Image.LastIndexOf(':')])
                .Distinct()
                .Select(image =>
                {
                    var entry = new Dictionary<string, object?> { ["name"] = image };
                    if (overlay.ImageRegistry is { } registry)
                    {
                        entry["newName"] = $"{registry}/{image}";
                    }

                    if (overlay.ImageTag is { } tag)
                    {
                        entry["newTag"] = tag;
                    }

                    return entry;
                })
                .ToList();
        }

        if (overlay.Replicas.Count > 0)
        {
            kustomization["replicas"] = overlay.Replicas.Select(r => new Dictionary<string, object?> { ["name"] = r.Key, ["count"] = r.Value }).ToList();
        }

        var autoscaled = model.Workloads.Where(w => w.Mapping.Autoscale is not null).ToList();
        if (overlay.Autoscaling == false)
        {
            patches.AddRange(autoscaled.Select(w => InlinePatch(
                $"$patch: delete\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: {w.Name}")));
        }
        else
        {
            // The autoscaler would undo the overlay's replica count: its floor follows it.
            patches.AddRange(autoscaled.Where(w => overlay.Replicas.ContainsKey(w.Name)).Select(w => InlinePatch(
                $"apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: {w.Name}\nspec:\n  minReplicas: {overlay.Replicas[w.Name]}")));
        }

        if (overlay.GatewayServiceType is { } serviceType)
        {
            foreach (var workload in model.Workloads.Where(w => w.Ports.Any(p => p.External)))
            {
                patches.Add(InlinePatch($"apiVersion: v1\nkind: Service\nmetadata:\n  name: {workload.Name}\nspec:\n  type: {serviceType}"));
            }
        }

        if (overlay.Gpu is { } gpu)
        {
            var file = $"{gpu.Workload}-gpu.yaml";
            files[file] = GpuPatch(model.Workload(gpu.Workload), gpu);
            patches.Add(new Dictionary<string, object?> { ["path"] = file });
        }

        if (patches.Count > 0)
        {
            kustomization["patches"] = patches;
        }

        return (kustomization, files);
    }

    private static Dictionary<string, object?> InlinePatch(string patch) => new() { ["patch"] = patch };

    private static V1Deployment GpuPatch(Workload workload, GpuMapping gpu)
    {
        var resources = gpu.Resources ?? workload.Mapping.Resources;
        var limits = resources.Limits.ToDictionary(r => r.Key, r => new ResourceQuantity(r.Value));
        limits["nvidia.com/gpu"] = new ResourceQuantity(gpu.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = new V1ObjectMeta { Name = workload.Name },
            Spec = new V1DeploymentSpec
            {
                Template = new V1PodTemplateSpec
                {
                    Spec = new V1PodSpec
                    {
                        NodeSelector = gpu.NodeSelector.ToDictionary(),
                        Tolerations = [new V1Toleration { Key = "nvidia.com/gpu", OperatorProperty = "Exists", Effect = "NoSchedule" }],
                        Containers =
                        [
                            new V1Container
                            {
                                Name = workload.Name,
                                Env = gpu.Env.Select(e => new V1EnvVar { Name = e.Key, Value = e.Value }).ToList(),
                                Resources = new V1ResourceRequirements
                                {
                                    Requests = resources.Requests.ToDictionary(r => r.Key, r => new ResourceQuantity(r.Value)),
                                    Limits = limits,
                                },
                                StartupProbe = gpu.StartupFailureThreshold is { } threshold ? new V1Probe { FailureThreshold = threshold } : null,
                            },
                        ],
                    },
                },
            },
        };
    }
}
