using k8s.Models;

namespace Manifests.Generator.Kubernetes;

/// <summary>Network policies from the app model's references, disruption budgets and autoscalers.</summary>
public static class PolicyObjects
{
    private static readonly string[] PrivateRanges = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];

    /// <summary>
    /// Deny everything by default, allow DNS, and per workload exactly the paths the app model has: who
    /// references whose endpoint, the Gateway's external endpoint, Prometheus's scrapes, and any internet
    /// ports the mapping names (the Reddit API).
    /// </summary>
    public static IEnumerable<V1NetworkPolicy> NetworkPolicies(PlatformModel model)
    {
        var partOf = Labels.PartOf(model.Mapping.PartOf);
        yield return new V1NetworkPolicy
        {
            ApiVersion = "networking.k8s.io/v1",
            Kind = "NetworkPolicy",
            Metadata = new V1ObjectMeta { Name = "default-deny", Labels = partOf },
            Spec = new V1NetworkPolicySpec { PodSelector = new V1LabelSelector(), PolicyTypes = ["Ingress", "Egress"] },
        };
        yield return new V1NetworkPolicy
        {
            ApiVersion = "networking.k8s.io/v1",
            Kind = "NetworkPolicy",
            Metadata = new V1ObjectMeta { Name = "allow-dns", Labels = partOf },
            Spec = new V1NetworkPolicySpec
            {
                PodSelector = new V1LabelSelector(),
                PolicyTypes = ["Egress"],
                Egress =
                [
                    new V1NetworkPolicyEgressRule
                    {
                        To =
                        [
                            new V1NetworkPolicyPeer
                            {
                                NamespaceSelector = new V1LabelSelector(),
                                PodSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["k8s-app"] = "kube-dns" } },
                            },
                        ],
                        Ports = [Port(53, "UDP"), Port(53, "TCP")],
                    },
                ],
            },
        };

        foreach (var workload in model.Workloads)
        {
            yield return WorkloadPolicy(workload, model);
        }
    }

    private static V1NetworkPolicy WorkloadPolicy(Workload workload, PlatformModel model)
    {
        var ingress = new List<V1NetworkPolicyIngressRule>();
        foreach (var client in model.Workloads.Where(w => w != workload))
        {
            var ports = PortsReferenced(client, workload, model);
            if (ports.Count > 0)
            {
                ingress.Add(new V1NetworkPolicyIngressRule { FromProperty = [PodPeer(client)], Ports = ports.Select(p => Port(p)).ToList() });
            }
        }

        var external = workload.Ports.Where(p => p.External).Select(p => Port(p.Port)).ToList();
        if (external.Count > 0)
        {
            ingress.Add(new V1NetworkPolicyIngressRule { Ports = external }); // from anywhere: the public API
        }

        var metricsPort = workload.IsProject ? workload.MetricsPort : workload.Mapping.Exporter?.Port;
        if (metricsPort is { } scrape)
        {
            ingress.Add(new V1NetworkPolicyIngressRule
            {
                FromProperty =
                [
                    new V1NetworkPolicyPeer
                    {
                        NamespaceSelector = new V1LabelSelector
                        {
                            MatchLabels = new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = model.Mapping.Monitoring.PrometheusNamespace },
                        },
                    },
                ],
                Ports = [Port(scrape)],
            });
        }

        var egress = new List<V1NetworkPolicyEgressRule>();
        foreach (var server in model.Workloads.Where(w => w != workload))
        {
            var ports = PortsReferenced(workload, server, model);
            if (ports.Count > 0)
            {
                egress.Add(new V1NetworkPolicyEgressRule { To = [PodPeer(server)], Ports = ports.Select(p => Port(p)).ToList() });
            }
        }

        if (workload.Mapping.EgressInternetPorts.Count > 0)
        {
            egress.Add(new V1NetworkPolicyEgressRule
            {
                To = [new V1NetworkPolicyPeer { IpBlock = new V1IPBlock { Cidr = "0.0.0.0/0", Except = PrivateRanges.ToList() } }],
                Ports = workload.Mapping.EgressInternetPorts.Select(p => Port(p)).ToList(),
            });
        }

        return new V1NetworkPolicy
        {
            ApiVersion = "networking.k8s.io/v1",
            Kind = "NetworkPolicy",
            Metadata = new V1ObjectMeta { Name = workload.Name, Labels = Labels.For(workload, model.Mapping.PartOf) },
            Spec = new V1NetworkPolicySpec
            {
                PodSelector = new V1LabelSelector { MatchLabels = Labels.Selector(workload) },
                PolicyTypes = ["Ingress", "Egress"],
                Ingress = ingress.Count > 0 ? ingress : null,
                Egress = egress.Count > 0 ? egress : null,
            },
        };
    }

    /// <summary>The ports of <paramref name="server"/> that <paramref name="client"/>'s settings refer to.</summary>
    private static List<int> PortsReferenced(Workload client, Workload server, PlatformModel model) =>
        client.References
            .Where(r => model.Primary(r.Resource) == server)
            .Select(r => server.Ports.SingleOrDefault(p => p.Name == r.Binding)?.Port)
            .OfType<int>()
            .Distinct()
            .Order()
            .ToList();

    private static V1NetworkPolicyPeer PodPeer(Workload workload) =>
        new() { PodSelector = new V1LabelSelector { MatchLabels = Labels.Selector(workload) } };

    private static V1NetworkPolicyPort Port(int port, string protocol = "TCP") => new() { Port = port, Protocol = protocol };

    public static IEnumerable<V1PodDisruptionBudget> DisruptionBudgets(PlatformModel model) =>
        model.Workloads.Where(w => w.Mapping.DisruptionBudget).Select(w => new V1PodDisruptionBudget
        {
            ApiVersion = "policy/v1",
            Kind = "PodDisruptionBudget",
            Metadata = new V1ObjectMeta { Name = w.Name, Labels = Labels.For(w, model.Mapping.PartOf) },
            // At most one pod down at a time: a drain always proceeds, never takes all replicas at once.
            Spec = new V1PodDisruptionBudgetSpec { MaxUnavailable = 1, Selector = new V1LabelSelector { MatchLabels = Labels.Selector(w) } },
        });

    public static IEnumerable<V2HorizontalPodAutoscaler> Autoscalers(PlatformModel model) =>
        model.Workloads.Where(w => w.Mapping.Autoscale is not null).Select(w => new V2HorizontalPodAutoscaler
        {
            ApiVersion = "autoscaling/v2",
            Kind = "HorizontalPodAutoscaler",
            Metadata = new V1ObjectMeta { Name = w.Name, Labels = Labels.For(w, model.Mapping.PartOf) },
            Spec = new V2HorizontalPodAutoscalerSpec
            {
                ScaleTargetRef = new V2CrossVersionObjectReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = w.Name },
                MinReplicas = w.Mapping.Autoscale!.MinReplicas,
                MaxReplicas = w.Mapping.Autoscale.MaxReplicas,
                Metrics =
                [
                    new V2MetricSpec
                    {
                        Type = "Resource",
                        Resource = new V2ResourceMetricSource
                        {
                            Name = "cpu",
                            Target = new V2MetricTarget { Type = "Utilization", AverageUtilization = w.Mapping.Autoscale.CpuUtilization },
                        },
                    },
                ],
            },
        });
}
