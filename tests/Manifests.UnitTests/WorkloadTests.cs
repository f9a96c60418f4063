using k8s.Models;

namespace Manifests.UnitTests;

/// <summary>The runbook's names and labels, probes, resources, security, autoscaling, budgets and network paths.</summary>
[Collection(GeneratedKitCollection.Name)]
public sealed class WorkloadTests(GeneratedKit kit)
{
    private static readonly string[] RunbookDeployments =
        ["reddit-auth-service", "reddit-data-collector", "reddit-sentiment-api", "redis", "sentiment-model", "sentiment-workers"];

    private IEnumerable<(string Name, V1PodTemplateSpec Template)> Workloads() =>
        kit.BaseObjects().OfType<V1Deployment>().Select(d => (d.Metadata.Name, d.Spec.Template))
            .Concat(kit.BaseObjects().OfType<V1StatefulSet>().Select(s => (s.Metadata.Name, s.Spec.Template)));

    [Fact]
    public void Workloads_have_the_runbooks_names_and_app_labels()
    {
        Assert.Equal(RunbookDeployments, kit.Deployments().Select(d => d.Metadata.Name).Order());
        var postgres = Assert.Single(kit.BaseObjects().OfType<V1StatefulSet>());
        Assert.Equal("postgres", postgres.Metadata.Name);
        Assert.Equal("/var/lib/postgresql", Assert.Single(postgres.Spec.Template.Spec.Containers[0].VolumeMounts, m => m.Name == "data").MountPath);
        Assert.Single(postgres.Spec.VolumeClaimTemplates);

        foreach (var o in kit.BaseObjects().OfType<IMetadata<V1ObjectMeta>>().Where(o => o is V1Deployment or V1StatefulSet or V1Service))
        {
            // A project's metrics listener has a Service of its own, named after it.
            Assert.Equal(o.Metadata.Name, o is V1Service && o.Metadata.Name.EndsWith("-metrics", StringComparison.Ordinal)
                ? o.Metadata.Labels["app"] + "-metrics"
                : o.Metadata.Labels["app"]);
        }

        foreach (var (name, template) in Workloads())
        {
            Assert.Equal(name, template.Metadata.Labels["app"]);
        }

        Assert.All(kit.BaseObjects().OfType<V1Service>(), s => Assert.Equal(s.Metadata.Labels["app"], s.Spec.Selector["app"]));
    }

    [Fact]
    public void Redis_keeps_an_append_only_file_synced_every_second_on_its_volume()
    {
        var redis = kit.Deployment("redis").Spec.Template.Spec;
        var command = string.Join(' ', redis.Containers.Single(c => c.Name == "redis").Args);

        Assert.Contains("--appendonly yes", command);
        Assert.Contains("--appendfsync everysec", command);
        Assert.Contains("--maxmemory-policy noeviction", command);
        Assert.Contains(redis.Containers.Single(c => c.Name == "redis").VolumeMounts, m => m.MountPath == "/data");
    }

    [Fact]
    public void Workers_and_ingestion_run_the_same_collector_image()
    {
        var ingestion = kit.Deployment("reddit-data-collector").Spec.Template.Spec.Containers[0].Image;
        var workers = kit.Deployment("sentiment-workers").Spec.Template.Spec.Containers[0].Image;

        Assert.Equal(ingestion, workers);
        Assert.StartsWith("reddit-sentiment/collector:", workers);
    }

    [Fact]
    public void Services_are_probed_on_alive_and_health_and_the_scorer_has_a_startup_probe()
    {
        foreach (var name in RunbookDeployments.Where(n => n != "redis"))
        {
            var container = kit.Deployment(name).Spec.Template.Spec.Containers.Single(c => c.Name == name);
            Assert.Equal(("/alive", "http"), (container.LivenessProbe.HttpGet.Path, container.LivenessProbe.HttpGet.Port.Value));
            Assert.Equal(("/health", "http"), (container.ReadinessProbe.HttpGet.Path, container.ReadinessProbe.HttpGet.Port.Value));
            Assert.Contains(container.Ports, p => p.Name == "http");
        }

        var scorer = kit.Deployment("sentiment-model").Spec.Template.Spec.Containers[0];
        Assert.Equal("/health", scorer.StartupProbe.HttpGet.Path);
        Assert.True(scorer.StartupProbe.PeriodSeconds * scorer.StartupProbe.FailureThreshold >= 300, "the model load gets at least 5 minutes");

        foreach (var (_, template) in Workloads())
        {
            Assert.All(template.Spec.Containers.Where(c => c.Name is "postgres" or "redis"), c =>
            {
                Assert.NotNull(c.LivenessProbe.Exec);
                Assert.NotNull(c.ReadinessProbe.Exec);
            });
        }
    }

    [Fact]
    public void Every_container_has_requests_and_limits()
    {
        foreach (var container in Workloads().SelectMany(w => w.Template.Spec.Containers))
        {
            Assert.True(container.Resources?.Requests?.ContainsKey("cpu") == true && container.Resources.Requests.ContainsKey("memory"), $"{container.Name} requests");
            Assert.True(container.Resources?.Limits?.ContainsKey("cpu") == true && container.Resources.Limits.ContainsKey("memory"), $"{container.Name} limits");
        }
    }

    [Fact]
    public void Pods_run_as_non_root_with_read_only_root_file_systems()
    {
        foreach (var (name, template) in Workloads())
        {
            Assert.True(template.Spec.SecurityContext.RunAsNonRoot, name);
            Assert.NotEqual(0, template.Spec.SecurityContext.RunAsUser);
            Assert.False(template.Spec.AutomountServiceAccountToken);
            foreach (var container in template.Spec.Containers)
            {
                Assert.False(container.SecurityContext.AllowPrivilegeEscalation);
                Assert.True(container.SecurityContext.ReadOnlyRootFilesystem, $"{name}/{container.Name}");
                Assert.Contains("ALL", container.SecurityContext.Capabilities.Drop);
            }
        }
    }

    [Fact]
    public void The_gateway_and_the_workers_autoscale_and_services_have_disruption_budgets()
    {
        var autoscalers = kit.BaseObjects().OfType<V2HorizontalPodAutoscaler>().ToList();
        Assert.Equal(["reddit-sentiment-api", "sentiment-workers"], autoscalers.Select(h => h.Spec.ScaleTargetRef.Name).Order());
        Assert.All(autoscalers, h => Assert.Equal("Deployment", h.Spec.ScaleTargetRef.Kind));

        var budgets = kit.BaseObjects().OfType<V1PodDisruptionBudget>().Select(b => b.Spec.Selector.MatchLabels["app"]).ToList();
        Assert.Superset(new HashSet<string> { "reddit-sentiment-api", "sentiment-workers", "sentiment-model", "reddit-auth-service" }, budgets.ToHashSet());
    }

    [Fact]
    public void Config_maps_and_secret_templates_have_the_runbooks_names_and_keys()
    {
        var configMaps = kit.BaseObjects().OfType<V1ConfigMap>().ToDictionary(c => c.Metadata.Name, c => c.Data);
        Assert.Contains("subreddits.0", configMaps["reddit-collector-config"].Keys);
        Assert.Contains("rate_limit_delay", configMaps["reddit-collector-config"].Keys);
        Assert.Contains("data-validation-rules", configMaps.Keys);

        var secrets = kit.SecretTemplates();
        Assert.Equal(["client_id", "client_secret", "password", "username"], secrets["reddit-api-credentials"].Order());
        Assert.Contains("postgres-credentials", secrets.Keys);
        Assert.Contains("identity-signing-keys", secrets.Keys);
    }

    private static string? App(V1LabelSelector? selector) =>
        selector?.MatchLabels is { } labels && labels.TryGetValue("app", out var app) ? app : null;

    [Fact]
    public void Network_policies_deny_by_default_and_allow_only_the_app_models_paths()
    {
        var policies = kit.BaseObjects().OfType<V1NetworkPolicy>().ToDictionary(p => p.Metadata.Name);
        var deny = policies["default-deny"].Spec;
        Assert.Empty(deny.PodSelector.MatchLabels ?? new Dictionary<string, string>());
        Assert.Equal(["Egress", "Ingress"], deny.PolicyTypes.Order());
        Assert.Null(deny.Ingress);
        Assert.Null(deny.Egress);

        bool Allows(string from, string to, int port) =>
            policies[from].Spec.Egress?.Any(r => r.To.Any(p => App(p.PodSelector) == to) && r.Ports.Any(p => p.Port.Value == port.ToString())) == true &&
            policies[to].Spec.Ingress?.Any(r => r.FromProperty?.Any(p => App(p.PodSelector) == from) == true && r.Ports.Any(p => p.Port.Value == port.ToString())) == true;

        int Port(string deployment, string name) =>
            kit.Deployment(deployment).Spec.Template.Spec.Containers[0].Ports.Single(p => p.Name == name).ContainerPort;

        Assert.True(Allows("sentiment-workers", "postgres", 5432));
        Assert.True(Allows("sentiment-workers", "redis", 6379));
        Assert.True(Allows("sentiment-workers", "sentiment-model", Port("sentiment-model", "grpc")));
        Assert.True(Allows("reddit-sentiment-api", "reddit-auth-service", Port("reddit-auth-service", "http")));
        Assert.True(Allows("reddit-auth-service", "postgres", 5432));
        Assert.False(Allows("sentiment-model", "postgres", 5432));
        Assert.False(Allows("reddit-auth-service", "redis", 6379));
        Assert.Null(policies["sentiment-model"].Spec.Egress); // the Scorer calls nobody

        // Only the ingestion reaches the internet (the Reddit API), only on 443.
        var internet = policies.Values.Where(p => p.Spec.Egress?.Any(r => r.To.Any(t => t.IpBlock is not null)) == true).Select(p => p.Metadata.Name);
        Assert.Equal(["reddit-data-collector"], internet);

        // The public API is open to all on its http port; Prometheus may scrape every workload (the backup's own
        // policies, a job's and an extra way into PostgreSQL, are BackupTests').
        var gatewayPort = Port("reddit-sentiment-api", "http").ToString();
        Assert.Contains(policies["reddit-sentiment-api"].Spec.Ingress, r => r.FromProperty is null && r.Ports.Any(p => p.Port.Value == gatewayPort));
        foreach (var (name, policy) in policies.Where(p => p.Key is not ("default-deny" or "allow-dns")
            && !(p.Value.Metadata.Labels is { } labels && labels.TryGetValue("app.kubernetes.io/component", out var role) && role == "backup")))
        {
            Assert.Contains(policy.Spec.Ingress, r => r.FromProperty?.Any(p => p.NamespaceSelector?.MatchLabels?.Values.Contains(kit.Mapping.Monitoring.PrometheusNamespace) == true) == true);
        }
    }
}
