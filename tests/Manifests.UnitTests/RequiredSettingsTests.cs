using System.Text.RegularExpressions;
using Collector.Extensions;
using Collector.Workers;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Manifests.UnitTests;

/// <summary>
/// Every setting a service reads at start is in its Deployment, and it points at something that exists: a
/// Service and port, a Secret template key, a ConfigMap key, a variable defined before it.
/// </summary>
[Collection(GeneratedKitCollection.Name)]
public sealed partial class RequiredSettingsTests(GeneratedKit kit)
{
    /// <summary>What each service reads at start (its Extensions.cs): connection strings and service discovery.</summary>
    public static TheoryData<string, string[]> Required => new()
    {
        { "reddit-auth-service", ["ConnectionStrings__sentiment-db"] },
        { "sentiment-model", ["Kestrel__Endpoints__http__Url", "Kestrel__Endpoints__grpc__Url"] },
        { "reddit-data-collector", ["ConnectionStrings__sentiment-db", "ConnectionStrings__redis", "services__scorer__grpc__0"] },
        { "sentiment-workers", ["ConnectionStrings__sentiment-db", "ConnectionStrings__redis", "services__scorer__grpc__0", "BATCH_SIZE", "MODEL_TYPE"] },
        { "reddit-sentiment-api", ["ConnectionStrings__sentiment-db", "ConnectionStrings__redis", "services__scorer__grpc__0", "services__identity__http__0"] },
    };

    private V1Container Main(string deployment) =>
        kit.Deployment(deployment).Spec.Template.Spec.Containers.Single(c => c.Name == deployment);

    [Theory]
    [MemberData(nameof(Required))]
    public void Deployment_has_every_setting_its_service_reads_at_start(string deployment, string[] variables)
    {
        var env = Main(deployment).Env.Select(e => e.Name).ToList();

        Assert.All(variables, variable => Assert.Contains(variable, env));
    }

    [Fact]
    public void Every_connection_string_and_service_reference_of_the_app_model_reaches_its_deployments()
    {
        foreach (var (resource, workloads) in kit.Mapping.Resources.Where(r => kit.AppModel.IsProject(r.Key)))
        {
            var needed = kit.AppModel.Env(resource).Select(e => e.Key)
                .Where(name => name.StartsWith("ConnectionStrings__", StringComparison.Ordinal) && !name[19..].Contains('_') ||
                               Regex.IsMatch(name, "^services__[^_]+__(http|grpc)__0$"))
                .ToList();
            foreach (var workload in workloads)
            {
                var env = Main(workload.Name).Env.Select(e => e.Name).ToList();
                Assert.All(needed, name => Assert.Contains(name, env));
            }
        }
    }

    [Fact]
    public void Database_connection_string_points_at_the_postgres_service_with_credentials_from_its_secret()
    {
        foreach (var deployment in new[] { "reddit-auth-service", "reddit-data-collector", "sentiment-workers", "reddit-sentiment-api" })
        {
            var container = Main(deployment);
            var parts = ConnectionStringParts(Value(container, "ConnectionStrings__sentiment-db"));

            Assert.Equal("reddit_sentiment", parts["Database"]);
            AssertServicePort(parts["Host"], int.Parse(parts["Port"]));
            AssertFromSecret(container, parts["Username"], "postgres-credentials", "username");
            AssertFromSecret(container, parts["Password"], "postgres-credentials", "password");
        }
    }

    [Fact]
    public void Redis_connection_string_points_at_the_redis_service_with_the_password_from_its_secret()
    {
        foreach (var deployment in new[] { "reddit-data-collector", "sentiment-workers", "reddit-sentiment-api" })
        {
            var container = Main(deployment);
            var value = Value(container, "ConnectionStrings__redis");
            var match = Regex.Match(value, "^(?<host>[a-z0-9-]+):(?<port>[0-9]+),password=(?<password>[^,]+)$");

            Assert.True(match.Success, value);
            AssertServicePort(match.Groups["host"].Value, int.Parse(match.Groups["port"].Value));
            AssertFromSecret(container, match.Groups["password"].Value, "redis-credentials", "password");
        }
    }

    [Fact]
    public void Service_discovery_variables_point_at_service_ports_with_the_right_protocol()
    {
        foreach (var deployment in new[] { "reddit-data-collector", "sentiment-workers", "reddit-sentiment-api" })
        {
            var grpc = new Uri(Value(Main(deployment), "services__scorer__grpc__0"));
            Assert.Equal("http", grpc.Scheme); // h2c: GrpcChannel has no resolver for https+http
            var port = AssertServicePort(grpc.Host, grpc.Port);
            Assert.Equal("grpc", port.Name);
            Assert.Equal("kubernetes.io/h2c", port.AppProtocol);
        }

        var identity = new Uri(Value(Main("reddit-sentiment-api"), "services__identity__http__0"));
        Assert.Equal("reddit-auth-service", identity.Host);
        Assert.Equal("http", AssertServicePort(identity.Host, identity.Port).Name);
    }

    [Fact]
    public void Services_listen_on_their_container_ports()
    {
        // Every project also binds its metrics listener, and says which port that is.
        Assert.All(kit.Deployments().Where(d => d.Metadata.Name != "redis"), d =>
            Assert.Equal(Main(d.Metadata.Name).Ports.Single(p => p.Name == "metrics").ContainerPort.ToString(), Value(Main(d.Metadata.Name), "Metrics__Port")));

        foreach (var deployment in kit.Deployments().Where(d => d.Metadata.Name != "redis"))
        {
            var container = Main(deployment.Metadata.Name);
            var ports = container.Ports.ToDictionary(p => p.Name, p => p.ContainerPort);
            if (container.Env.Any(e => e.Name == "HTTP_PORTS"))
            {
                Assert.Equal($"{ports["http"]};{ports["metrics"]}", Value(container, "HTTP_PORTS"));
            }
            else
            {
                foreach (var (name, port) in ports)
                {
                    Assert.Equal($"http://*:{port}", Value(container, $"Kestrel__Endpoints__{name}__Url"));
                }
            }
        }
    }

    [Fact]
    public void Worker_settings_are_valid_for_the_collector()
    {
        var workers = Options(Main("sentiment-workers"));
        var ingestion = Options(Main("reddit-data-collector"));

        Assert.True(workers.Count > 0, "sentiment-workers must run worker loops");
        Assert.Equal(0, ingestion.Count); // ingestion only
        Assert.InRange(workers.BatchSize, 1, 2048);
        Assert.Contains(workers.ModelType, new[] { "fast", "accurate" });
    }

    [Fact]
    public void Ingestion_reads_the_reddit_credentials_and_the_collector_config()
    {
        var container = Main("reddit-data-collector");
        AssertRef(container, "Reddit__ClientId", "reddit-api-credentials", "client_id");
        AssertRef(container, "Reddit__ClientSecret", "reddit-api-credentials", "client_secret");
        AssertRef(container, "Reddit__Username", "reddit-api-credentials", "username");
        AssertRef(container, "Reddit__Password", "reddit-api-credentials", "password");
        Assert.Equal("subreddits.0", Env(container, "Reddit__Subreddits__0").ValueFrom.ConfigMapKeyRef.Key);
        Assert.Equal("rate_limit_delay", Env(container, "Reddit__rate_limit_delay").ValueFrom.ConfigMapKeyRef.Key);
        AssertRef(container, "Reddit__RedditUser", "reddit-api-credentials", "username");
        Assert.Contains(container.Env, e => e.ValueFrom?.ConfigMapKeyRef?.Name == "data-validation-rules");
    }

    [Fact]
    public void Every_variable_reference_is_defined_before_it_is_used()
    {
        foreach (var container in kit.BaseObjects().SelectMany(Containers))
        {
            var defined = new HashSet<string>();
            foreach (var variable in container.Env ?? [])
            {
                foreach (Match reference in VariableReference().Matches(variable.Value ?? ""))
                {
                    Assert.True(defined.Contains(reference.Groups[1].Value),
                        $"{container.Name}: {variable.Name} uses $({reference.Groups[1].Value}) before it is defined");
                }

                defined.Add(variable.Name);
            }
        }
    }

    [Fact]
    public void Every_secret_and_config_map_key_read_exists()
    {
        var secrets = kit.SecretTemplates();
        var configMaps = kit.BaseObjects().OfType<V1ConfigMap>().ToDictionary(c => c.Metadata.Name, c => c.Data);
        foreach (var container in kit.BaseObjects().SelectMany(Containers))
        {
            foreach (var variable in container.Env ?? [])
            {
                if (variable.ValueFrom?.SecretKeyRef is { } secret)
                {
                    Assert.True(secrets.TryGetValue(secret.Name, out var keys) && keys.Contains(secret.Key),
                        $"{container.Name}: {variable.Name} reads Secret {secret.Name}/{secret.Key}, which has no template");
                }

                if (variable.ValueFrom?.ConfigMapKeyRef is { } config)
                {
                    Assert.True(configMaps.ContainsKey(config.Name), $"{container.Name}: no ConfigMap {config.Name}");
                    Assert.True(config.Optional == true || configMaps[config.Name].ContainsKey(config.Key),
                        $"{container.Name}: {variable.Name} reads {config.Name}/{config.Key}, which is missing");
                }
            }
        }

        foreach (var volume in kit.BaseObjects().OfType<V1Deployment>().SelectMany(d => d.Spec.Template.Spec.Volumes ?? []).Where(v => v.Secret is not null))
        {
            Assert.Contains(volume.Secret.SecretName, secrets.Keys);
        }
    }

    [Fact]
    public void No_secret_value_is_written_into_a_manifest()
    {
        foreach (var container in kit.BaseObjects().SelectMany(Containers))
        {
            foreach (var variable in container.Env ?? [])
            {
                var value = variable.Value ?? "";
                Assert.DoesNotMatch("(?i)password=(?!\\$\\()", value);
                if (Regex.IsMatch(variable.Name, "(?i)(password|secret|pass)$"))
                {
                    Assert.NotNull(variable.ValueFrom?.SecretKeyRef);
                }
            }
        }

        foreach (var (name, path) in kit.SecretTemplates().Keys.Select(n => (n, $"manifests/secrets/{n}.template.yaml")))
        {
            var secret = (V1Secret)Yaml.LoadStrict(kit.Read(path)).Single();
            Assert.All(secret.StringData.Where(d => d.Key != "username" || name != "postgres-credentials"),
                d => Assert.StartsWith("REPLACE", d.Value));
        }
    }

    private static IEnumerable<V1Container> Containers(object o) => o switch
    {
        V1Deployment d => d.Spec.Template.Spec.Containers,
        V1StatefulSet s => s.Spec.Template.Spec.Containers,
        _ => [],
    };

    private static V1EnvVar Env(V1Container container, string name) => Assert.Single(container.Env, e => e.Name == name);

    private static string Value(V1Container container, string name) =>
        Env(container, name).Value ?? throw new Xunit.Sdk.XunitException($"{name} has no literal value");

    private static void AssertRef(V1Container container, string name, string secret, string key)
    {
        var reference = Env(container, name).ValueFrom?.SecretKeyRef;
        Assert.Equal((secret, key), (reference?.Name, reference?.Key));
    }

    /// <summary>A value is <c>$(VAR)</c> where VAR is read from the Secret's key.</summary>
    private static void AssertFromSecret(V1Container container, string value, string secret, string key)
    {
        var match = VariableReference().Match(value);
        Assert.True(match.Success && match.Value == value, $"'{value}' should be a $(VARIABLE) read from Secret {secret}");
        AssertRef(container, match.Groups[1].Value, secret, key);
    }

    private V1ServicePort AssertServicePort(string host, int port)
    {
        var service = kit.Service(host);
        return Assert.Single(service.Spec.Ports, p => p.Port == port);
    }

    private static Dictionary<string, string> ConnectionStringParts(string value) =>
        value.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(part => part.Split('=', 2))
            .ToDictionary(kv => kv[0], kv => kv[1]);

    /// <summary>
    /// The worker options exactly as the Collector binds and validates them, from the Deployment's literal
    /// variables (a bad BATCH_SIZE or MODEL_TYPE throws here as it would at start).
    /// </summary>
    private static WorkerOptions Options(V1Container container)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(container.Env.Where(e => e.Value is not null)
            .Select(e => KeyValuePair.Create(e.Name.Replace("__", ":"), (string?)e.Value.Replace("$(", "x(")))
            .ToList());
        builder.AddApplicationServices();
        using var provider = builder.Services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<WorkerOptions>>().Value;
    }

    [GeneratedRegex(@"\$\(([A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex VariableReference();
}
