using Manifests.Generator.AppModel;
using Manifests.Generator.Kubernetes;
using Manifests.Generator.Mapping;
using Manifests.Generator.Observability;
using Manifests.Generator.Output;

namespace Manifests.Generator;

/// <summary>
/// Everything under <c>manifests/</c> that is generated, as repository-relative path → content. Pure: the same
/// app model and mapping always give the same files (the drift test relies on it).
/// </summary>
public static class ManifestGenerator
{
    /// <summary>The folders whose files are all generated (a stale file there is drift too).</summary>
    public static readonly string[] GeneratedFolders = ["manifests/base", "manifests/overlays", "manifests/monitoring", "manifests/secrets"];

    public sealed record Result(IReadOnlyDictionary<string, string> Files, IReadOnlyList<string> Warnings);

    public static Result Generate(AspireManifest manifest, PlatformMapping mapping)
    {
        var model = PlatformModel.Build(manifest, mapping);
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);

        // Base: one file per workload, then the cross-cutting objects.
        var baseFiles = new List<string>();
        void AddBase(string file, IEnumerable<object> documents)
        {
            var list = documents.ToList();
            if (list.Count == 0)
            {
                return;
            }

            files[$"manifests/base/{file}"] = GeneratedFile.Yaml(list);
            baseFiles.Add(file);
        }

        foreach (var workload in model.Workloads)
        {
            AddBase($"{workload.Name}.yaml", WorkloadObjects.For(workload, model));
        }

        AddBase("postgres-backup.yaml", BackupObjects.For(model));
        AddBase("config-maps.yaml", ConfigObjects.ConfigMaps(model));
        AddBase("network-policies.yaml", PolicyObjects.NetworkPolicies(model));
        AddBase("disruption-budgets.yaml", PolicyObjects.DisruptionBudgets(model));
        AddBase("autoscalers.yaml", PolicyObjects.Autoscalers(model));
        files["manifests/base/kustomization.yaml"] = GeneratedFile.Yaml([Kustomizations.Base(baseFiles)]);

        // The observability kit (needs the Prometheus operator's CRDs; included by the prod overlay).
        files["manifests/monitoring/service-monitors.yaml"] = GeneratedFile.Yaml(ServiceMonitors.For(model));
        files["manifests/monitoring/prometheus-rules.yaml"] = GeneratedFile.Yaml([Alerts.PrometheusRule(mapping)]);
        var dashboard = $"dashboards/{Dashboard.FileName}";
        files[$"manifests/monitoring/{dashboard}"] = Dashboard.Json();
        files["manifests/monitoring/kustomization.yaml"] = GeneratedFile.Yaml(
            [Kustomizations.Monitoring(model, ["service-monitors.yaml", "prometheus-rules.yaml"], dashboard)]);

        foreach (var (name, overlay) in mapping.Overlays)
        {
            var (kustomization, patches) = Kustomizations.Overlay(model, name, overlay);
            files[$"manifests/overlays/{name}/kustomization.yaml"] = GeneratedFile.Yaml([kustomization]);
            foreach (var (file, patch) in patches)
            {
                files[$"manifests/overlays/{name}/{file}"] = GeneratedFile.Yaml([patch]);
            }
        }

        foreach (var secret in model.Secrets.Keys)
        {
            var readers = string.Join("\n", ConfigObjects.Readers(model, secret).Select(r => $"  {r}"));
            files[$"manifests/secrets/{secret}.template.yaml"] = GeneratedFile.Yaml(
                [ConfigObjects.SecretTemplate(model, secret)],
                $"Template: copy it outside the repository, replace every value, then\n  kubectl apply -n {mapping.Namespace} -f FILE\n" +
                $"(or kubectl create secret generic {secret} -n {mapping.Namespace} --from-literal=KEY=VALUE ...; see README.md, Deployment).\nRead by:\n{readers}");
        }

        return new Result(files, model.Warnings);
    }
}
