using System.Text.RegularExpressions;
using System.Xml.Linq;
using k8s.Models;
using Manifests.Generator.AppModel;
using Manifests.Generator.Mapping;

namespace Manifests.Generator.Kubernetes;

/// <summary>A port a workload listens on; <c>Transport</c> is http, http2 (h2c) or tcp.</summary>
public sealed record WorkloadPort(string Name, int Port, string Transport, bool External);

/// <summary>One Kubernetes workload: an app-model resource (or, for the Collector, one role of it) with its mapping.</summary>
public sealed class Workload
{
    public required string Resource { get; init; }
    public required WorkloadMapping Mapping { get; init; }
    public required bool IsProject { get; init; }
    public required string Image { get; init; }
    public IReadOnlyList<string>? Command { get; init; }
    public IReadOnlyList<string> Args { get; init; } = [];
    public required IReadOnlyList<WorkloadPort> Ports { get; init; }
    public required IReadOnlyList<V1EnvVar> Env { get; init; }
    public required IReadOnlyList<V1EnvVar> ExporterEnv { get; init; }
    public required IReadOnlySet<EndpointReference> References { get; init; }
    public string? VolumeTarget { get; init; }

    public string Name => Mapping.Name;

    /// <summary>The port named <c>http</c> that serves /alive and /health (projects only).</summary>
    public WorkloadPort HttpPort => Ports.Single(p => p.Name == "http");

    /// <summary>The project's metrics listener (<c>Metrics:Port</c>); null for the servers, whose exporters serve theirs.</summary>
    public int? MetricsPort { get; init; }

    public bool IsStatefulSet => Mapping.Kind == "StatefulSet";
}

/// <summary>
/// The app model as the cluster will run it: every resource of the Aspire manifest matched with its mapping,
/// its expressions resolved to Service names, ports and Secret or ConfigMap keys.
/// </summary>
public sealed partial class PlatformModel
{
    /// <summary>Where unmapped Aspire parameters go (unless they are plain settings with a default value).</summary>
    public const string FallbackParametersSecret = "aspire-parameters";

    private readonly List<string> _warnings = [];
    private readonly SortedDictionary<string, SortedSet<string>> _fallbackKeys = new(StringComparer.Ordinal);

    private PlatformModel(AspireManifest manifest, PlatformMapping mapping)
    {
        Manifest = manifest;
        Mapping = mapping;
    }

    public AspireManifest Manifest { get; }
    public PlatformMapping Mapping { get; }
    public IReadOnlyList<Workload> Workloads { get; private set; } = [];
    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>Secrets and their keys: those of the mapping, plus the fallback for unmapped parameters.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Secrets =>
        Mapping.Secrets.Concat(_fallbackKeys.Select(s => KeyValuePair.Create(s.Key,
                (IReadOnlyDictionary<string, string>)s.Value.ToDictionary(k => k, k => $"REPLACE: the Aspire parameter {k}"))))
            .ToDictionary();

    public Workload Workload(string name) => Workloads.Single(w => w.Name == name);

    /// <summary>The workload that serves a resource's endpoints (its first in the mapping).</summary>
    public Workload Primary(string resource) => Workloads.First(w => w.Resource == resource);

    public IEnumerable<Workload> Projects => Workloads.Where(w => w.IsProject);

    public static PlatformModel Build(AspireManifest manifest, PlatformMapping mapping)
    {
        var model = new PlatformModel(manifest, mapping);
        model.Workloads = model.BuildWorkloads();
        model.CheckReferences();
        return model;
    }

    private List<Workload> BuildWorkloads()
    {
        foreach (var resource in Manifest.Workloads.Where(r => !Mapping.Resources.ContainsKey(r)))
        {
            throw new InvalidDataException(
                $"The app model has resource '{resource}' ({Manifest.TypeOf(resource)}), which manifests/mapping.json does not map; add it under resources.");
        }

        foreach (var resource in Mapping.Resources.Keys.Where(r => !Manifest.Contains(r)))
        {
            throw new InvalidDataException($"manifests/mapping.json maps '{resource}', which the app model lacks.");
        }

        var resolver = new ExpressionResolver(Manifest, resource => Mapping.Resources[resource][0].Name, Mapping.ProjectHttpPort);
        var workloads = new List<Workload>();
        foreach (var resource in Manifest.Workloads)
        {
            foreach (var workloadMapping in Mapping.Resources[resource])
            {
                workloads.Add(BuildWorkload(resource, workloadMapping, resolver));
            }
        }

        return workloads;
    }

    private Workload BuildWorkload(string resource, WorkloadMapping workload, ExpressionResolver resolver)
    {
        var isProject = Manifest.IsProject(resource);
        var ports = Manifest.Bindings(resource)
            .Where(b => !Mapping.SkipBindings.Contains(b.Name))
            .Select(b => new WorkloadPort(b.Name, resolver.PortOf(resource, b), b.Transport, b.External))
            .ToList();
        if (isProject && ports.All(p => p.Name != "http"))
        {
            throw new InvalidDataException($"Project '{resource}' has no 'http' endpoint for its probes and metrics.");
        }

        var references = new HashSet<EndpointReference>();
        var env = new EnvironmentBuilder(this, workload.Name);
        foreach (var (name, value) in Manifest.Env(resource))
        {
            if (isProject && Mapping.DropProjectEnv.Any(pattern => Matches(pattern, name)))
            {
                continue;
            }

            if (workload.Env.ContainsKey(name))
            {
                continue; // the mapping's value wins
            }

            env.AddResolved(name, resolver.Resolve(value, references));
        }

        foreach (var (name, source) in workload.Env)
        {
            env.AddSource(name, SettingSource.Parse(source));
        }

        if (isProject)
        {
            env.AddMetricsListener(Mapping.Monitoring.MetricsPort);
        }

        var exporterEnv = new EnvironmentBuilder(this, workload.Exporter?.Name ?? workload.Name);
        foreach (var (name, source) in workload.Exporter?.Env ?? new Dictionary<string, string>())
        {
            exporterEnv.AddSource(name, SettingSource.Parse(source));
        }

        var args = Manifest.Args(resource).ToList();
        if (workload.ArgsSuffix is { } suffix)
        {
            if (args.Count == 0)
            {
                throw new InvalidDataException($"'{workload.Name}' has an argsSuffix but the app model gives no arguments.");
            }

            args[^1] += suffix;
        }

        var entrypoint = Manifest.String(resource, "entrypoint");
        return new Workload
        {
            Resource = resource,
            Mapping = workload,
            IsProject = isProject,
            Image = isProject ? $"{ContainerRepository(resource)}:latest" : Manifest.String(resource, "image")!,
            Command = entrypoint is null ? null : [entrypoint],
            Args = args,
            Ports = ports,
            MetricsPort = isProject ? Mapping.Monitoring.MetricsPort : null,
            Env = env.Build(),
            ExporterEnv = exporterEnv.Build(),
            References = references,
            VolumeTarget = workload.Storage is null ? null : Manifest.VolumeTargets(resource).FirstOrDefault()
                ?? throw new InvalidDataException($"'{workload.Name}' has storage but '{resource}' has no volume in the app model."),
        };
    }

    /// <summary>The image repository the project's container publishing uses (its ContainerRepository property).</summary>
    private string ContainerRepository(string resource)
    {
        var project = Manifest.ProjectPath(resource);
        var repository = XDocument.Load(project).Descendants("ContainerRepository").Select(e => e.Value.Trim()).FirstOrDefault();
        return string.IsNullOrEmpty(repository)
            ? throw new InvalidDataException($"{project} sets no ContainerRepository (needed for its image).")
            : repository;
    }

    /// <summary>The cluster-side source of an Aspire parameter.</summary>
    internal SettingSource ParameterSource(string parameter)
    {
        if (Mapping.Parameters.TryGetValue(parameter, out var source))
        {
            return SettingSource.Parse(source);
        }

        if (!Manifest.IsSecretParameter(parameter) && Manifest.ParameterDefault(parameter) is { } value)
        {
            return new SettingSource.Literal(value); // a plain setting with its value in the app model
        }

        if (!_fallbackKeys.TryGetValue(FallbackParametersSecret, out var keys))
        {
            _fallbackKeys[FallbackParametersSecret] = keys = new SortedSet<string>(StringComparer.Ordinal);
        }

        if (keys.Add(parameter))
        {
            _warnings.Add($"Aspire parameter '{parameter}' is not under parameters in manifests/mapping.json: " +
                          $"it comes from Secret {FallbackParametersSecret}, key {parameter}.");
        }

        return new SettingSource.SecretKey(FallbackParametersSecret, parameter, Optional: false);
    }

    /// <summary>Every Secret and ConfigMap key a workload reads is one the kit declares.</summary>
    private void CheckReferences()
    {
        foreach (var workload in Workloads)
        {
            foreach (var variable in workload.Env.Concat(workload.ExporterEnv))
            {
                if (variable.ValueFrom?.SecretKeyRef is { } secret &&
                    !(Secrets.TryGetValue(secret.Name, out var keys) && keys.ContainsKey(secret.Key)))
                {
                    throw new InvalidDataException(
                        $"{workload.Name}: {variable.Name} reads Secret {secret.Name} key {secret.Key}, which manifests/mapping.json does not list under secrets.");
                }

                if (variable.ValueFrom?.ConfigMapKeyRef is { } config &&
                    !(Mapping.ConfigMaps.ContainsKey(config.Name) && (config.Optional == true || Mapping.ConfigMapData(config.Name).ContainsKey(config.Key))))
                {
                    throw new InvalidDataException(
                        $"{workload.Name}: {variable.Name} reads ConfigMap {config.Name} key {config.Key}, which manifests/mapping.json does not list under configMaps.");
                }
            }

            foreach (var secret in workload.Mapping.SecretMounts.Values.Select(s => s.TrimEnd('?')))
            {
                if (!Secrets.ContainsKey(secret))
                {
                    throw new InvalidDataException($"{workload.Name} mounts Secret {secret}, which manifests/mapping.json does not list.");
                }
            }
        }
    }

    private static bool Matches(string pattern, string name) =>
        Regex.IsMatch(name, "^" + Regex.Escape(pattern).Replace("\\*", ".*") + "$", RegexOptions.CultureInvariant);
}
