using k8s.Models;

namespace Manifests.Generator.Kubernetes;

/// <summary>A workload's Deployment or StatefulSet, its Service and, for a Deployment with data, its claim.</summary>
public static class WorkloadObjects
{
    public const string MetricsPortName = "metrics";

    public static IEnumerable<object> For(Workload workload, PlatformModel model)
    {
        var labels = Labels.For(workload, model.Mapping.PartOf);
        var meta = new V1ObjectMeta
        {
            Name = workload.Name,
            Labels = labels,
            Annotations = new Dictionary<string, string> { [Labels.AspireResourceAnnotation] = workload.Resource },
        };
        var template = PodTemplate(workload, labels);

        if (workload.IsStatefulSet)
        {
            yield return new V1StatefulSet
            {
                ApiVersion = "apps/v1",
                Kind = "StatefulSet",
                Metadata = meta,
                Spec = new V1StatefulSetSpec
                {
                    ServiceName = workload.Name,
                    Replicas = workload.Mapping.Replicas,
                    Selector = new V1LabelSelector { MatchLabels = Labels.Selector(workload) },
                    Template = template,
                    VolumeClaimTemplates = workload.Mapping.Storage is { } size
                        ? [new V1PersistentVolumeClaim { Metadata = new V1ObjectMeta { Name = "data" }, Spec = ClaimSpec(size) }]
                        : null,
                },
            };
        }
        else
        {
            var recreate = workload.Mapping.Strategy == "Recreate";
            yield return new V1Deployment
            {
                ApiVersion = "apps/v1",
                Kind = "Deployment",
                Metadata = meta,
                Spec = new V1DeploymentSpec
                {
                    Replicas = workload.Mapping.Replicas,
                    Selector = new V1LabelSelector { MatchLabels = Labels.Selector(workload) },
                    Strategy = recreate
                        ? new V1DeploymentStrategy { Type = "Recreate" }
                        : new V1DeploymentStrategy
                        {
                            Type = "RollingUpdate",
                            RollingUpdate = new V1RollingUpdateDeployment { MaxSurge = 1, MaxUnavailable = 0 },
                        },
                    Template = template,
                },
            };

            if (workload.Mapping.Storage is { } size)
            {
                yield return new V1PersistentVolumeClaim
                {
                    ApiVersion = "v1",
                    Kind = "PersistentVolumeClaim",
                    Metadata = new V1ObjectMeta { Name = $"{workload.Name}-data", Labels = labels },
                    Spec = ClaimSpec(size),
                };
            }
        }

        yield return Service(workload, labels);
        if (workload.MetricsPort is { } metricsPort)
        {
            // A Service of its own, always ClusterIP: an overlay that makes the workload's Service public (the
            // Gateway's LoadBalancer) leaves the metrics where only Prometheus reaches them.
            yield return new V1Service
            {
                ApiVersion = "v1",
                Kind = "Service",
                Metadata = new V1ObjectMeta { Name = MetricsServiceName(workload), Labels = labels },
                Spec = new V1ServiceSpec
                {
                    Selector = Labels.Selector(workload),
                    Ports = [new V1ServicePort { Name = MetricsPortName, Port = metricsPort, TargetPort = MetricsPortName, Protocol = "TCP", AppProtocol = "http" }],
                },
            };
        }
    }

    /// <summary>The Service that exposes a project's metrics listener.</summary>
    public static string MetricsServiceName(Workload workload) => $"{workload.Name}-metrics";

    /// <summary>The ports a workload's Service exposes: its endpoints, and its exporter's metrics port.</summary>
    public static IEnumerable<(string Name, int Port, string? AppProtocol)> ServicePorts(Workload workload) =>
        workload.Ports.Select(p => (p.Name, p.Port, AppProtocol(p.Transport)))
            .Concat(workload.Mapping.Exporter is { } exporter ? [(MetricsPortName, exporter.Port, (string?)"http")] : []);

    private static string? AppProtocol(string transport) => transport switch
    {
        "http" => "http",
        "http2" => "kubernetes.io/h2c",
        _ => null,
    };

    private static V1Service Service(Workload workload, Dictionary<string, string> labels) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = new V1ObjectMeta { Name = workload.Name, Labels = labels },
        Spec = new V1ServiceSpec
        {
            // A StatefulSet's governing Service is headless: "postgres" resolves to the pod itself.
            ClusterIP = workload.IsStatefulSet ? "None" : null,
            Selector = Labels.Selector(workload),
            Ports = ServicePorts(workload)
                .Select(p => new V1ServicePort { Name = p.Name, Port = p.Port, TargetPort = p.Name, Protocol = "TCP", AppProtocol = p.AppProtocol })
                .ToList(),
        },
    };

    private static V1PersistentVolumeClaimSpec ClaimSpec(string size) => new()
    {
        AccessModes = ["ReadWriteOnce"],
        Resources = new V1VolumeResourceRequirements
        {
            Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new(size) },
        },
    };

    private static V1PodTemplateSpec PodTemplate(Workload workload, Dictionary<string, string> labels)
    {
        var mapping = workload.Mapping;
        var volumes = new List<V1Volume>();
        var mounts = new List<V1VolumeMount>();
        foreach (var path in mapping.WritablePaths)
        {
            var name = VolumeName(path);
            volumes.Add(new V1Volume { Name = name, EmptyDir = new V1EmptyDirVolumeSource() });
            mounts.Add(new V1VolumeMount { Name = name, MountPath = path });
        }

        foreach (var (path, secretReference) in mapping.SecretMounts)
        {
            var secret = secretReference.TrimEnd('?');
            volumes.Add(new V1Volume
            {
                Name = secret,
                Secret = new V1SecretVolumeSource { SecretName = secret, Optional = secretReference.EndsWith('?') ? true : null },
            });
            mounts.Add(new V1VolumeMount { Name = secret, MountPath = path, ReadOnlyProperty = true });
        }

        if (workload.VolumeTarget is { } target)
        {
            if (!workload.IsStatefulSet)
            {
                volumes.Add(new V1Volume
                {
                    Name = "data",
                    PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = $"{workload.Name}-data" },
                });
            }

            mounts.Add(new V1VolumeMount { Name = "data", MountPath = target });
        }

        var containers = new List<V1Container> { MainContainer(workload, mounts) };
        if (mapping.Exporter is { } exporter)
        {
            containers.Add(new V1Container
            {
                Name = exporter.Name,
                Image = exporter.Image,
                Ports = [new V1ContainerPort { Name = MetricsPortName, ContainerPort = exporter.Port, Protocol = "TCP" }],
                Env = workload.ExporterEnv.ToList(),
                Resources = Resources(new Dictionary<string, string> { ["cpu"] = "10m", ["memory"] = "32Mi" },
                    new Dictionary<string, string> { ["cpu"] = "200m", ["memory"] = "128Mi" }),
                SecurityContext = ContainerSecurity(readOnlyRootFilesystem: true),
            });
        }

        return new V1PodTemplateSpec
        {
            Metadata = new V1ObjectMeta
            {
                Labels = labels,
                Annotations = containers.Count > 1
                    ? new Dictionary<string, string> { ["kubectl.kubernetes.io/default-container"] = workload.Name }
                    : null,
            },
            Spec = new V1PodSpec
            {
                AutomountServiceAccountToken = false,
                // Service links would set variables like REDIS_PORT=tcp://... in every pod.
                EnableServiceLinks = false,
                SecurityContext = new V1PodSecurityContext
                {
                    RunAsNonRoot = true,
                    RunAsUser = mapping.RunAsUser,
                    RunAsGroup = mapping.RunAsUser,
                    FsGroup = mapping.RunAsUser,
                    SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
                },
                Containers = containers,
                Volumes = volumes.Count > 0 ? volumes : null,
            },
        };
    }

    private static V1Container MainContainer(Workload workload, List<V1VolumeMount> mounts)
    {
        var mapping = workload.Mapping;
        V1Probe liveness, readiness;
        V1Probe? startup = null;
        if (workload.IsProject)
        {
            liveness = HttpProbe("/alive", periodSeconds: 10, failureThreshold: 3);
            readiness = HttpProbe("/health", periodSeconds: 10, failureThreshold: 3);
            if (mapping.StartupProbe is { } startupProbe)
            {
                startup = HttpProbe(startupProbe.Path, startupProbe.PeriodSeconds, startupProbe.FailureThreshold);
            }
        }
        else
        {
            var command = mapping.ExecProbe ?? throw new InvalidDataException($"{workload.Name} needs an execProbe in manifests/mapping.json.");
            liveness = ExecProbe(command, periodSeconds: 20, failureThreshold: 6);
            readiness = ExecProbe(command, periodSeconds: 10, failureThreshold: 3);
        }

        return new V1Container
        {
            Name = workload.Name,
            Image = workload.Image,
            ImagePullPolicy = "IfNotPresent",
            Command = workload.Command?.ToList(),
            Args = workload.Args.Count > 0 ? workload.Args.ToList() : null,
            Ports = workload.Ports.Select(p => new V1ContainerPort { Name = p.Name, ContainerPort = p.Port, Protocol = "TCP" })
                .Concat(workload.MetricsPort is { } metricsPort ? [new V1ContainerPort { Name = MetricsPortName, ContainerPort = metricsPort, Protocol = "TCP" }] : [])
                .ToList(),
            Env = workload.Env.ToList(),
            Resources = Resources(mapping.Resources.Requests, mapping.Resources.Limits),
            LivenessProbe = liveness,
            ReadinessProbe = readiness,
            StartupProbe = startup,
            SecurityContext = ContainerSecurity(mapping.ReadOnlyRootFilesystem),
            VolumeMounts = mounts.Count > 0 ? mounts : null,
        };
    }

    public static V1ResourceRequirements Resources(IReadOnlyDictionary<string, string> requests, IReadOnlyDictionary<string, string> limits) => new()
    {
        Requests = requests.ToDictionary(r => r.Key, r => new ResourceQuantity(r.Value)),
        Limits = limits.ToDictionary(r => r.Key, r => new ResourceQuantity(r.Value)),
    };

    private static V1SecurityContext ContainerSecurity(bool readOnlyRootFilesystem) => new()
    {
        AllowPrivilegeEscalation = false,
        ReadOnlyRootFilesystem = readOnlyRootFilesystem,
        Capabilities = new V1Capabilities { Drop = ["ALL"] },
    };

    private static V1Probe HttpProbe(string path, int periodSeconds, int failureThreshold) => new()
    {
        HttpGet = new V1HTTPGetAction { Path = path, Port = "http" },
        PeriodSeconds = periodSeconds,
        TimeoutSeconds = 3,
        FailureThreshold = failureThreshold,
    };

    private static V1Probe ExecProbe(string command, int periodSeconds, int failureThreshold) => new()
    {
        Exec = new V1ExecAction { Command = ["/bin/sh", "-c", command] },
        PeriodSeconds = periodSeconds,
        TimeoutSeconds = 5,
        FailureThreshold = failureThreshold,
    };

    private static string VolumeName(string path) =>
        new string(path.Trim('/').Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-').ToArray()) switch
        {
            "" => "root",
            var name => name,
        };
}
