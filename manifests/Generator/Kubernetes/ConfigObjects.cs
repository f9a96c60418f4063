using k8s.Models;

namespace Manifests.Generator.Kubernetes;

/// <summary>The ConfigMaps, and the Secret templates (placeholders only: real values never enter the repository).</summary>
public static class ConfigObjects
{
    public static IEnumerable<V1ConfigMap> ConfigMaps(PlatformModel model) =>
        model.Mapping.ConfigMaps.Keys.Select(name => new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = new V1ObjectMeta { Name = name, Labels = Labels.PartOf(model.Mapping.PartOf) },
            Data = model.Mapping.ConfigMapData(name).ToDictionary(),
        });

    public static V1Secret SecretTemplate(PlatformModel model, string name) => new()
    {
        ApiVersion = "v1",
        Kind = "Secret",
        Type = "Opaque",
        Metadata = new V1ObjectMeta { Name = name, Labels = Labels.PartOf(model.Mapping.PartOf) },
        StringData = model.Secrets[name].ToDictionary(),
    };

    /// <summary>Who reads each key of a Secret, for the template's header.</summary>
    public static IEnumerable<string> Readers(PlatformModel model, string secret) =>
        model.Workloads
            .SelectMany(w => w.Env.Concat(w.ExporterEnv)
                .Where(v => v.ValueFrom?.SecretKeyRef?.Name == secret)
                .Select(v => $"{w.Name}: {v.Name} <- {v.ValueFrom!.SecretKeyRef!.Key}")
                .Concat(w.Mapping.SecretMounts.Where(m => m.Value.TrimEnd('?') == secret).Select(m => $"{w.Name}: files under {m.Key}")))
            .Distinct();
}
