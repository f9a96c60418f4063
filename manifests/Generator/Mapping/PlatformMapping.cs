using System.Text.Json;
using System.Text.Json.Serialization;

namespace Manifests.Generator.Mapping;

/// <summary>
/// <c>manifests/mapping.json</c>: what the Aspire app model does not say about the deployment (names, roles,
/// sizes, settings). Unknown fields are errors, so a typo fails the generator instead of vanishing.
/// </summary>
public sealed record PlatformMapping
{
    public required string Namespace { get; init; }
    public required string PartOf { get; init; }
    public int ProjectHttpPort { get; init; } = 8080;
    public int ListSlots { get; init; } = 16;
    public IReadOnlyList<string> SkipBindings { get; init; } = [];
    public required MonitoringMapping Monitoring { get; init; }
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<string> DropProjectEnv { get; init; } = [];
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, JsonElement>> ConfigMaps { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, JsonElement>>();
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Secrets { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>();
    public required IReadOnlyDictionary<string, IReadOnlyList<WorkloadMapping>> Resources { get; init; }
    public required IReadOnlyDictionary<string, OverlayMapping> Overlays { get; init; }
    public BackupMapping? Backup { get; init; }

    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNameCaseInsensitive = false,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectRequiredConstructorParameters = true,
    };

    public static PlatformMapping Load(string path) => Parse(File.ReadAllText(path), path);

    public static PlatformMapping Parse(string json, string source = "mapping.json")
    {
        var mapping = JsonSerializer.Deserialize<PlatformMapping>(json, JsonOptions)
            ?? throw new InvalidDataException($"{source} is empty.");
        mapping.Validate(source);
        return mapping;
    }

    /// <summary>Every workload by its Kubernetes name.</summary>
    public IEnumerable<(string Resource, WorkloadMapping Workload)> Workloads =>
        Resources.SelectMany(r => r.Value.Select(w => (r.Key, w)));

    /// <summary>A ConfigMap's data as Kubernetes holds it: a list becomes KEY.0, KEY.1, ...</summary>
    public IReadOnlyDictionary<string, string> ConfigMapData(string name)
    {
        var data = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in ConfigMaps[name])
        {
            if (value.ValueKind == JsonValueKind.Array)
            {
                var items = value.EnumerateArray().Select(v => v.GetString() ?? "").ToList();
                for (var i = 0; i < items.Count; i++)
                {
                    data[$"{key}.{i}"] = items[i];
                }
            }
            else
            {
                data[key] = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
            }
        }

        return data;
    }

    private void Validate(string source)
    {
        var names = Workloads.Select(w => w.Workload.Name).ToList();
        foreach (var duplicate in names.GroupBy(n => n).Where(g => g.Count() > 1))
        {
            throw new InvalidDataException($"{source}: workload name '{duplicate.Key}' is used twice.");
        }

        foreach (var (name, overlay) in Overlays)
        {
            if (overlay.Base is { } baseOverlay && !Overlays.ContainsKey(baseOverlay))
            {
                throw new InvalidDataException($"{source}: overlay '{name}' builds on unknown overlay '{baseOverlay}'.");
            }

            foreach (var workload in overlay.Replicas.Keys.Append(overlay.Gpu?.Workload).OfType<string>())
            {
                if (!names.Contains(workload))
                {
                    throw new InvalidDataException($"{source}: overlay '{name}' names unknown workload '{workload}'.");
                }
            }
        }
    }
}

/// <summary>The database's scheduled backup: a cron schedule (UTC), how many dumps to keep, the claim's size.</summary>
public sealed record BackupMapping
{
    public required string Schedule { get; init; }
    public int Keep { get; init; } = 7;
    public required string Storage { get; init; }
}

public sealed record MonitoringMapping
{
    public required string PrometheusNamespace { get; init; }
    public string ScrapeInterval { get; init; } = "30s";

    /// <summary>
    /// The port of the projects' own metrics listener (the services' <c>Metrics:Port</c>): /metrics answers there and
    /// no longer on their public ports; a Service of its own (<c>{name}-metrics</c>) exposes it inside the cluster.
    /// </summary>
    public int MetricsPort { get; init; } = 9464;
}

public sealed record WorkloadMapping
{
    public required string Name { get; init; }
    public string Kind { get; init; } = "Deployment";
    public required string Role { get; init; }
    public int Replicas { get; init; } = 1;
    public string? Strategy { get; init; }
    public string? Storage { get; init; }
    public long RunAsUser { get; init; } = 1654;
    public bool ReadOnlyRootFilesystem { get; init; } = true;
    public IReadOnlyList<string> WritablePaths { get; init; } = ["/tmp"];
    public string? ArgsSuffix { get; init; }
    public string? ExecProbe { get; init; }
    public StartupProbeMapping? StartupProbe { get; init; }
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> SecretMounts { get; init; } = new Dictionary<string, string>();
    public required ResourcesMapping Resources { get; init; }
    public ExporterMapping? Exporter { get; init; }
    public bool DisruptionBudget { get; init; }
    public AutoscaleMapping? Autoscale { get; init; }
    public IReadOnlyList<int> EgressInternetPorts { get; init; } = [];
}

public sealed record StartupProbeMapping
{
    public required string Path { get; init; }
    public int PeriodSeconds { get; init; } = 5;
    public int FailureThreshold { get; init; } = 60;
}

public sealed record ResourcesMapping
{
    public required IReadOnlyDictionary<string, string> Requests { get; init; }
    public required IReadOnlyDictionary<string, string> Limits { get; init; }
}

public sealed record ExporterMapping
{
    public required string Name { get; init; }
    public required string Image { get; init; }
    public required int Port { get; init; }
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();
}

public sealed record AutoscaleMapping
{
    public int MinReplicas { get; init; } = 1;
    public required int MaxReplicas { get; init; }
    public int CpuUtilization { get; init; } = 70;
}

public sealed record OverlayMapping
{
    public string? Base { get; init; }
    public string? ImageRegistry { get; init; }
    public string? ImageTag { get; init; }
    public bool? Autoscaling { get; init; }
    public bool? Monitoring { get; init; }
    public string? GatewayServiceType { get; init; }
    public IReadOnlyDictionary<string, int> Replicas { get; init; } = new Dictionary<string, int>();
    public GpuMapping? Gpu { get; init; }
}

public sealed record GpuMapping
{
    public required string Workload { get; init; }
    public int Count { get; init; } = 1;
    public IReadOnlyDictionary<string, string> NodeSelector { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();
    public int? StartupFailureThreshold { get; init; }
    public ResourcesMapping? Resources { get; init; }
}
