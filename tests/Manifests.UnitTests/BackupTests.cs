using k8s.Models;
using Manifests.Generator.Kubernetes;

namespace Manifests.UnitTests;

/// <summary>
/// The database's scheduled backup: a CronJob with the database image's pg_dump, the database's own credentials,
/// a claim of its own, one run at a time, as locked down as the workloads, and network paths to PostgreSQL only.
/// (Platform.IntegrationTests runs its script against a real server.)
/// </summary>
[Collection(GeneratedKitCollection.Name)]
public sealed class BackupTests(GeneratedKit kit)
{
    [Fact]
    public void A_cron_job_dumps_the_database_with_its_own_image_and_credentials_into_its_claim()
    {
        var cron = Assert.Single(kit.BaseObjects().OfType<V1CronJob>());
        var postgres = Assert.Single(kit.BaseObjects().OfType<V1StatefulSet>());
        Assert.Equal(BackupObjects.Name, cron.Metadata.Name);
        Assert.Equal(kit.Mapping.Backup!.Schedule, cron.Spec.Schedule);
        Assert.Equal("Forbid", cron.Spec.ConcurrencyPolicy);

        var pod = cron.Spec.JobTemplate.Spec.Template.Spec;
        var container = Assert.Single(pod.Containers);
        Assert.Equal(postgres.Spec.Template.Spec.Containers[0].Image, container.Image);
        Assert.Equal(["/bin/sh", "-c", BackupObjects.Script], container.Command);
        Assert.Contains("pg_dump --format=custom", BackupObjects.Script);

        var env = container.Env.ToDictionary(e => e.Name);
        Assert.Equal("postgres", env["PGHOST"].Value);
        Assert.Equal("postgres-credentials", env["PGUSER"].ValueFrom.SecretKeyRef.Name);
        Assert.Equal("password", env["PGPASSWORD"].ValueFrom.SecretKeyRef.Key);
        Assert.Equal("reddit_sentiment", env["PGDATABASE"].Value);
        Assert.Equal($"{kit.Mapping.Backup.Keep}", env["KEEP"].Value);

        var mount = Assert.Single(container.VolumeMounts, m => m.MountPath == BackupObjects.Directory);
        Assert.Equal(BackupObjects.ClaimName, Assert.Single(pod.Volumes, v => v.Name == mount.Name).PersistentVolumeClaim.ClaimName);
        Assert.Contains(kit.BaseObjects().OfType<V1PersistentVolumeClaim>(), c => c.Metadata.Name == BackupObjects.ClaimName);

        Assert.True(pod.SecurityContext.RunAsNonRoot);
        Assert.True(container.SecurityContext.ReadOnlyRootFilesystem);
        Assert.False(container.SecurityContext.AllowPrivilegeEscalation);
        Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop);
        Assert.NotNull(container.Resources.Limits);
    }

    [Fact]
    public void The_backup_reaches_postgres_and_nothing_else()
    {
        var policies = kit.BaseObjects().OfType<V1NetworkPolicy>().ToList();
        var own = Assert.Single(policies, p => p.Metadata.Name == BackupObjects.Name);
        var egress = Assert.Single(own.Spec.Egress);
        Assert.Equal("postgres", Assert.Single(egress.To).PodSelector.MatchLabels["app"]);
        Assert.Equal("5432", Assert.Single(egress.Ports).Port.Value);
        Assert.Null(own.Spec.Ingress);

        var intoPostgres = Assert.Single(policies, p => p.Metadata.Name == "postgres-from-backup");
        Assert.Equal("postgres", intoPostgres.Spec.PodSelector.MatchLabels["app"]);
        Assert.Equal(BackupObjects.Name, Assert.Single(Assert.Single(intoPostgres.Spec.Ingress).FromProperty).PodSelector.MatchLabels["app"]);
    }
}
