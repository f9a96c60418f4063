using Manifests.Generator.Kubernetes;

namespace Manifests.Generator.Observability;

/// <summary>A ServiceMonitor (monitoring.coreos.com/v1) for every workload's metrics endpoint.</summary>
public static class ServiceMonitors
{
    public static IEnumerable<object> For(PlatformModel model) =>
        model.Workloads.Select(workload => (object)new Dictionary<string, object?>
        {
            ["apiVersion"] = "monitoring.coreos.com/v1",
            ["kind"] = "ServiceMonitor",
            ["metadata"] = new Dictionary<string, object?>
            {
                ["name"] = workload.Name,
                ["labels"] = Labels.For(workload, model.Mapping.PartOf),
            },
            ["spec"] = new Dictionary<string, object?>
            {
                ["selector"] = new Dictionary<string, object?> { ["matchLabels"] = Labels.Selector(workload) },
                ["endpoints"] = new List<object>
                {
                    new Dictionary<string, object?>
                    {
                        // Projects serve /metrics on a listener of their own, PostgreSQL and Redis through their
                        // exporter: a port named metrics either way (for projects on their -metrics Service).
                        ["port"] = WorkloadObjects.MetricsPortName,
                        ["path"] = "/metrics",
                        ["interval"] = model.Mapping.Monitoring.ScrapeInterval,
                    },
                },
            },
        });
}
