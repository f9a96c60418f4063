using k8s.Models;

namespace Manifests.UnitTests;

/// <summary>Every overlay renders with <c>kubectl kustomize</c>, into objects that parse strictly, as each overlay intends.</summary>
[Collection(GeneratedKitCollection.Name)]
public sealed class KustomizeTests(GeneratedKit kit)
{
    private static IEnumerable<string> Overlays() =>
        Directory.EnumerateDirectories(Path.Combine(new GeneratedKit().Root, "manifests/overlays"))
            .Select(d => $"manifests/overlays/{Path.GetFileName(d)}").Order();

    public static TheoryData<string> Folders => new(new[] { "manifests/base", "manifests/monitoring" }.Concat(Overlays()));

    private async Task<IReadOnlyList<object>> RenderAsync(string folder) =>
        Yaml.LoadStrict(await Kubectl.KustomizeAsync(Path.Combine(kit.Root, folder)));

    [KubectlTheory]
    [MemberData(nameof(Folders))]
    public async Task Folder_renders_into_objects_that_parse_strictly(string folder)
    {
        var objects = await RenderAsync(folder);

        Assert.NotEmpty(objects);
    }

    [Fact]
    public void There_are_dev_prod_and_gpu_overlays()
    {
        Assert.Equal(["manifests/overlays/dev", "manifests/overlays/gpu", "manifests/overlays/prod"], Overlays());
    }

    [KubectlFact]
    public async Task Dev_runs_one_of_each_without_autoscalers_in_the_namespace()
    {
        var objects = await RenderAsync("manifests/overlays/dev");

        Assert.DoesNotContain(objects, o => o is V2HorizontalPodAutoscaler);
        Assert.All(objects.OfType<V1Deployment>(), d => Assert.Equal(1, d.Spec.Replicas));
        Assert.All(objects.OfType<IMetadata<V1ObjectMeta>>(), o => Assert.Equal(kit.Mapping.Namespace, o.Metadata.NamespaceProperty));
        Assert.All(objects.OfType<V1Deployment>().SelectMany(d => d.Spec.Template.Spec.Containers).Where(c => c.Image.Contains("reddit-sentiment/")),
            c => Assert.EndsWith(":dev", c.Image));
    }

    [KubectlFact]
    public async Task Prod_autoscales_the_gateway_and_the_workers_and_ships_the_monitoring_kit()
    {
        var objects = await RenderAsync("manifests/overlays/prod");

        var autoscalers = objects.OfType<V2HorizontalPodAutoscaler>().ToDictionary(h => h.Spec.ScaleTargetRef.Name);
        Assert.Equal(["reddit-sentiment-api", "sentiment-workers"], autoscalers.Keys.Order());
        var deployments = objects.OfType<V1Deployment>().ToDictionary(d => d.Metadata.Name);
        foreach (var (name, autoscaler) in autoscalers)
        {
            Assert.Equal(deployments[name].Spec.Replicas, autoscaler.Spec.MinReplicas);
        }

        Assert.Contains(objects, o => o is Crds.ServiceMonitor);
        Assert.Contains(objects, o => o is Crds.PrometheusRule);
        var dashboard = objects.OfType<V1ConfigMap>().Single(c => c.Metadata.Name == Manifests.Generator.Kubernetes.Kustomizations.DashboardConfigMap);
        Assert.Equal("1", dashboard.Metadata.Labels["grafana_dashboard"]);
        Assert.Equal(kit.Read("manifests/monitoring/dashboards/reddit-sentiment-pipeline.json"), dashboard.Data.Values.Single());
        Assert.Equal("LoadBalancer", objects.OfType<V1Service>().Single(s => s.Metadata.Name == "reddit-sentiment-api").Spec.Type);
        Assert.All(objects.OfType<V1Deployment>().SelectMany(d => d.Spec.Template.Spec.Containers).Where(c => c.Image.Contains("reddit-sentiment/")),
            c => Assert.StartsWith("registry.example.com/reddit-sentiment/", c.Image));
    }

    [KubectlFact]
    public async Task Gpu_puts_the_scorer_on_gpu_nodes_with_device_cuda()
    {
        var objects = await RenderAsync("manifests/overlays/gpu");

        var scorer = objects.OfType<V1Deployment>().Single(d => d.Metadata.Name == "sentiment-model");
        var container = scorer.Spec.Template.Spec.Containers.Single(c => c.Name == "sentiment-model");
        Assert.Equal("1", container.Resources.Limits["nvidia.com/gpu"].ToString());
        Assert.NotEmpty(scorer.Spec.Template.Spec.NodeSelector);
        Assert.Contains(scorer.Spec.Template.Spec.Tolerations, t => t.Key == "nvidia.com/gpu");
        Assert.Equal("cuda", Assert.Single(container.Env, e => e.Name == "Scorer__Accurate__Device").Value);
        // Everything else of the Scorer survives the patch.
        Assert.Contains(container.Env, e => e.Name == "Kestrel__Endpoints__grpc__Url");
        Assert.NotNull(container.StartupProbe?.HttpGet);

        var others = objects.OfType<V1Deployment>().Where(d => d.Metadata.Name != "sentiment-model");
        Assert.All(others, d => Assert.Null(d.Spec.Template.Spec.NodeSelector));
    }
}
