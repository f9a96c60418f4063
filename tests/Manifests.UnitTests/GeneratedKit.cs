using k8s;
using k8s.Models;
using Manifests.Generator;
using Manifests.Generator.AppModel;
using Manifests.Generator.Mapping;

namespace Manifests.UnitTests;

/// <summary>
/// The app model published by the AppHost (once per test run), the mapping, a fresh generation, and the
/// committed files parsed into typed objects.
/// </summary>
public sealed class GeneratedKit : IAsyncLifetime
{
    public string Root { get; } = RepositoryLayout.FindRoot(AppContext.BaseDirectory);

    public PlatformMapping Mapping { get; private set; } = null!;
    public AspireManifest AppModel { get; private set; } = null!;
    public ManifestGenerator.Result Fresh { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Mapping = PlatformMapping.Load(Path.Combine(Root, RepositoryLayout.MappingPath));
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        AppModel = await AspirePublisher.PublishAsync(Root, build: false, timeout.Token);
        Fresh = ManifestGenerator.Generate(AppModel, Mapping);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public string Read(string relativePath) => File.ReadAllText(Path.Combine(Root, relativePath));

    /// <summary>The committed YAML files (kustomizations included), repository-relative.</summary>
    public IEnumerable<string> YamlFiles => RepositoryLayout.GeneratedFilesOnDisk(Root).Where(p => p.EndsWith(".yaml", StringComparison.Ordinal));

    /// <summary>Every object of the committed base, typed.</summary>
    public IReadOnlyList<object> BaseObjects() =>
        YamlFiles.Where(p => p.StartsWith("manifests/base/", StringComparison.Ordinal) && !p.EndsWith("kustomization.yaml", StringComparison.Ordinal))
            .SelectMany(p => Yaml.LoadStrict(Read(p)))
            .ToList();

    public IEnumerable<V1Deployment> Deployments() => BaseObjects().OfType<V1Deployment>();

    public V1Deployment Deployment(string name) => Deployments().Single(d => d.Metadata.Name == name);

    public V1Service Service(string name) => BaseObjects().OfType<V1Service>().Single(s => s.Metadata.Name == name);

    /// <summary>The secret templates: name → keys.</summary>
    public IReadOnlyDictionary<string, IReadOnlyCollection<string>> SecretTemplates() =>
        YamlFiles.Where(p => p.StartsWith("manifests/secrets/", StringComparison.Ordinal))
            .SelectMany(p => Yaml.LoadStrict(Read(p)))
            .OfType<V1Secret>()
            .ToDictionary(s => s.Metadata.Name, s => (IReadOnlyCollection<string>)(s.StringData?.Keys.ToList() ?? []));
}

[CollectionDefinition(Name)]
public sealed class GeneratedKitCollection : ICollectionFixture<GeneratedKit>
{
    public const string Name = "generated kit";
}
