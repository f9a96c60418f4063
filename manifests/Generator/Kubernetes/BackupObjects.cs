using k8s.Models;

namespace Manifests.Generator.Kubernetes;

/// <summary>
/// The database's scheduled backup: a CronJob running <c>pg_dump --format=custom</c> (the database image's own
/// client) into a claim of its own, keeping the newest <c>keep</c> files, named as <c>scripts/backup</c> names them,
/// and the network policies that let it, and only it besides the app, reach PostgreSQL.
/// </summary>
public static class BackupObjects
{
    public const string Name = "postgres-backup";
    public const string ClaimName = "postgres-backups";
    public const string Directory = "/backups";

    /// <summary>
    /// Writes the dump under a temporary name and renames it when complete (a half-written file never counts as a
    /// backup), then removes all but the newest $KEEP. BACKUP_DIR lets a test run the same script elsewhere.
    /// </summary>
    public const string Script = """
        set -eu
        dir="${BACKUP_DIR:-/backups}"
        file="$dir/$PGDATABASE-$(date -u +%Y%m%dT%H%M%SZ).dump"
        pg_dump --format=custom --file="$file.partial"
        mv "$file.partial" "$file"
        ls -1t "$dir"/*.dump | tail -n +$((KEEP + 1)) | xargs -r rm --
        echo "backed up $PGDATABASE to $file; kept the newest $KEEP"
        """;

    public static IEnumerable<object> For(PlatformModel model)
    {
        if (model.Mapping.Backup is not { } backup)
        {
            yield break;
        }

        var database = model.Workloads.Single(w => w.Mapping.Role == "database");
        var labels = new Dictionary<string, string>
        {
            [Labels.App] = Name,
            ["app.kubernetes.io/name"] = Name,
            ["app.kubernetes.io/component"] = "backup",
            ["app.kubernetes.io/part-of"] = model.Mapping.PartOf,
        };
        var selector = new Dictionary<string, string> { [Labels.App] = Name };
        var port = database.Ports.Single().Port;

        yield return new V1PersistentVolumeClaim
        {
            ApiVersion = "v1",
            Kind = "PersistentVolumeClaim",
            Metadata = new V1ObjectMeta { Name = ClaimName, Labels = labels },
            Spec = new V1PersistentVolumeClaimSpec
            {
                AccessModes = ["ReadWriteOnce"],
                Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new(backup.Storage) } },
            },
        };

        // The database's own credentials and name, as libpq reads them.
        var env = new List<V1EnvVar> { new() { Name = "PGHOST", Value = database.Name }, new() { Name = "PGPORT", Value = $"{port}" } };
        foreach (var (from, to) in new[] { ("POSTGRES_USER", "PGUSER"), ("POSTGRES_PASSWORD", "PGPASSWORD"), ("POSTGRES_DB", "PGDATABASE") })
        {
            var source = database.Env.Single(e => e.Name == from);
            env.Add(new V1EnvVar { Name = to, Value = source.Value, ValueFrom = source.ValueFrom });
        }

        env.Add(new V1EnvVar { Name = "KEEP", Value = $"{backup.Keep}" });

        yield return new V1CronJob
        {
            ApiVersion = "batch/v1",
            Kind = "CronJob",
            Metadata = new V1ObjectMeta { Name = Name, Labels = labels },
            Spec = new V1CronJobSpec
            {
                Schedule = backup.Schedule,
                TimeZone = "Etc/UTC",
                ConcurrencyPolicy = "Forbid",
                SuccessfulJobsHistoryLimit = 3,
                FailedJobsHistoryLimit = 3,
                JobTemplate = new V1JobTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = labels },
                    Spec = new V1JobSpec
                    {
                        BackoffLimit = 2,
                        ActiveDeadlineSeconds = 3 * 3600,
                        Template = new V1PodTemplateSpec
                        {
                            Metadata = new V1ObjectMeta { Labels = labels },
                            Spec = new V1PodSpec
                            {
                                RestartPolicy = "OnFailure",
                                AutomountServiceAccountToken = false,
                                EnableServiceLinks = false,
                                SecurityContext = new V1PodSecurityContext
                                {
                                    RunAsNonRoot = true,
                                    RunAsUser = database.Mapping.RunAsUser,
                                    RunAsGroup = database.Mapping.RunAsUser,
                                    FsGroup = database.Mapping.RunAsUser,
                                    SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
                                },
                                Containers =
                                [
                                    new V1Container
                                    {
                                        Name = Name,
                                        Image = database.Image,
                                        ImagePullPolicy = "IfNotPresent",
                                        Command = ["/bin/sh", "-c", Script],
                                        Env = env,
                                        Resources = WorkloadObjects.Resources(
                                            new Dictionary<string, string> { ["cpu"] = "100m", ["memory"] = "128Mi" },
                                            new Dictionary<string, string> { ["cpu"] = "1", ["memory"] = "512Mi" }),
                                        SecurityContext = new V1SecurityContext
                                        {
                                            AllowPrivilegeEscalation = false,
                                            ReadOnlyRootFilesystem = true,
                                            Capabilities = new V1Capabilities { Drop = ["ALL"] },
                                        },
                                        VolumeMounts =
                                        [
                                            new V1VolumeMount { Name = "backups", MountPath = Directory },
                                            new V1VolumeMount { Name = "tmp", MountPath = "/tmp" },
                                        ],
                                    },
                                ],
                                Volumes =
                                [
                                    new V1Volume { Name = "backups", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = ClaimName } },
                                    new V1Volume { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource() },
                                ],
                            },
                        },
                    },
                },
            },
        };

        var postgresPort = new V1NetworkPolicyPort { Port = port, Protocol = "TCP" };
        yield return new V1NetworkPolicy
        {
            ApiVersion = "networking.k8s.io/v1",
            Kind = "NetworkPolicy",
            Metadata = new V1ObjectMeta { Name = Name, Labels = labels },
            Spec = new V1NetworkPolicySpec
            {
                PodSelector = new V1LabelSelector { MatchLabels = selector },
                PolicyTypes = ["Ingress", "Egress"],
                Egress = [new V1NetworkPolicyEgressRule { To = [new V1NetworkPolicyPeer { PodSelector = new V1LabelSelector { MatchLabels = Labels.Selector(database) } }], Ports = [postgresPort] }],
            },
        };
        yield return new V1NetworkPolicy
        {
            ApiVersion = "networking.k8s.io/v1",
            Kind = "NetworkPolicy",
            Metadata = new V1ObjectMeta { Name = $"{database.Name}-from-backup", Labels = labels },
            Spec = new V1NetworkPolicySpec
            {
                PodSelector = new V1LabelSelector { MatchLabels = Labels.Selector(database) },
                PolicyTypes = ["Ingress"],
                Ingress = [new V1NetworkPolicyIngressRule { FromProperty = [new V1NetworkPolicyPeer { PodSelector = new V1LabelSelector { MatchLabels = selector } }], Ports = [postgresPort] }],
            },
        };
    }
}
