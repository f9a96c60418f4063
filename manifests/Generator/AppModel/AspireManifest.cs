using System.Text.Json.Nodes;

namespace Manifests.Generator.AppModel;

/// <summary>
/// The Aspire manifest the AppHost writes with <c>--publisher manifest</c>: the app model's resources, their
/// images or projects, endpoints ("bindings"), environment and references, as expressions like
/// <c>{postgres.bindings.tcp.host}</c>.
/// </summary>
public sealed class AspireManifest
{
    private readonly JsonObject _resources;

    private AspireManifest(JsonObject resources, string directory)
    {
        _resources = resources;
        Directory = directory;
    }

    /// <summary>The folder of the manifest file; project paths in it are relative to it.</summary>
    public string Directory { get; }

    public static AspireManifest Parse(string json, string directory)
    {
        var root = JsonNode.Parse(json)?.AsObject() ?? throw new InvalidDataException("The Aspire manifest is empty.");
        var resources = root["resources"]?.AsObject() ?? throw new InvalidDataException("The Aspire manifest has no resources.");
        return new AspireManifest(resources, directory);
    }

    public static AspireManifest Load(string path) =>
        Parse(File.ReadAllText(path), Path.GetDirectoryName(Path.GetFullPath(path))!);

    public IEnumerable<string> ResourceNames => _resources.Select(r => r.Key);

    public bool Contains(string name) => _resources.ContainsKey(name);

    public string TypeOf(string name) => Resource(name)["type"]?.GetValue<string>() ?? "";

    public bool IsProject(string name) => TypeOf(name).StartsWith("project.", StringComparison.Ordinal);

    public bool IsContainer(string name) => TypeOf(name).StartsWith("container.", StringComparison.Ordinal);

    public bool IsParameter(string name) => TypeOf(name).StartsWith("parameter.", StringComparison.Ordinal);

    public IEnumerable<string> Parameters => ResourceNames.Where(IsParameter);

    public bool IsSecretParameter(string name) =>
        Resource(name)["inputs"]?["value"]?["secret"]?.GetValue<bool>() == true;

    /// <summary>The default value a parameter declares in the app model, if any.</summary>
    public string? ParameterDefault(string name) => Resource(name)["inputs"]?["value"]?["default"]?["value"]?.GetValue<string>();

    /// <summary>Deployable resources: projects and containers.</summary>
    public IEnumerable<string> Workloads => ResourceNames.Where(n => IsProject(n) || IsContainer(n));

    public string? String(string name, string property) => Resource(name)[property]?.GetValue<string>();

    /// <summary>The resource's environment in the manifest's order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Env(string name) =>
        Resource(name)["env"]?.AsObject().Select(e => KeyValuePair.Create(e.Key, e.Value?.GetValue<string>() ?? "")).ToList() ?? [];

    public IReadOnlyList<string> Args(string name) =>
        Resource(name)["args"]?.AsArray().Select(a => a?.GetValue<string>() ?? "").ToList() ?? [];

    public IReadOnlyList<Binding> Bindings(string name) =>
        Resource(name)["bindings"]?.AsObject().Select(b => new Binding(
            b.Key,
            b.Value?["scheme"]?.GetValue<string>() ?? "tcp",
            b.Value?["transport"]?.GetValue<string>() ?? "tcp",
            b.Value?["targetPort"]?.GetValue<int>(),
            b.Value?["external"]?.GetValue<bool>() == true)).ToList() ?? [];

    /// <summary>Mount paths of the container's volumes (their names are machine-specific and not used).</summary>
    public IReadOnlyList<string> VolumeTargets(string name) =>
        Resource(name)["volumes"]?.AsArray().Select(v => v?["target"]?.GetValue<string>() ?? "").ToList() ?? [];

    /// <summary>The project file of a project resource, as an absolute path.</summary>
    public string ProjectPath(string name) =>
        Path.GetFullPath(Path.Combine(Directory, String(name, "path") ?? throw new InvalidDataException($"{name} has no path.")));

    private JsonObject Resource(string name) =>
        _resources[name]?.AsObject() ?? throw new KeyNotFoundException($"The Aspire manifest has no resource '{name}'.");
}

/// <summary>An endpoint of a resource. <c>transport</c> is http, http2 (h2c) or tcp.</summary>
public sealed record Binding(string Name, string Scheme, string Transport, int? TargetPort, bool External);
