using Manifests.Generator.AppModel;
using Manifests.Generator.Mapping;

namespace Manifests.UnitTests;

/// <summary>The mapping's setting sources and the translation of the app model's expressions.</summary>
public sealed class MappingTests
{
    [Theory]
    [InlineData("64", "Literal")]
    [InlineData("secret:reddit-api-credentials/client_id", "SecretKey")]
    [InlineData("secret?:reddit-api-credentials/client_id", "SecretKey")]
    [InlineData("config:reddit-collector-config/rate_limit_delay", "ConfigMapKey")]
    [InlineData("config-list:reddit-collector-config/subreddits", "ConfigMapList")]
    [InlineData("http://example:80", "Literal")]
    public void Setting_sources_are_parsed(string text, string kind)
    {
        Assert.Equal(kind, SettingSource.Parse(text).GetType().Name);
    }

    [Fact]
    public void An_optional_secret_key_is_optional()
    {
        Assert.Equal(new SettingSource.SecretKey("s", "k", Optional: true), SettingSource.Parse("secret?:s/k"));
    }

    [Fact]
    public void A_malformed_reference_is_an_error()
    {
        Assert.Throws<InvalidDataException>(() => SettingSource.Parse("secret:no-key"));
    }

    [Fact]
    public void An_unknown_field_in_the_mapping_is_an_error()
    {
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => PlatformMapping.Parse(
            """{ "namespace": "n", "partOf": "p", "monitoring": { "prometheusNamespace": "m" }, "resources": {}, "overlays": {}, "replicaz": 1 }"""));
    }

    private static readonly AspireManifest Manifest = AspireManifest.Parse("""
        {
          "resources": {
            "pw": { "type": "parameter.v0", "value": "{pw.inputs.value}", "inputs": { "value": { "type": "string", "secret": true } } },
            "db": { "type": "container.v0", "connectionString": "Host={db.bindings.tcp.host};Port={db.bindings.tcp.port};Password={pw.value}",
                    "image": "postgres", "bindings": { "tcp": { "scheme": "tcp", "protocol": "tcp", "transport": "tcp", "targetPort": 5432 } } },
            "sentiment-db": { "type": "value.v0", "connectionString": "{db.connectionString};Database=x" },
            "api": { "type": "project.v0", "path": "api.csproj",
                     "bindings": { "http": { "scheme": "http", "protocol": "tcp", "transport": "http" },
                                   "grpc": { "scheme": "http", "protocol": "tcp", "transport": "http2", "targetPort": 5202 } } }
          }
        }
        """, "/tmp");

    private static readonly ExpressionResolver Resolver = new(Manifest, resource => $"k8s-{resource}", projectHttpPort: 8080);

    [Fact]
    public void A_connection_string_resolves_to_service_names_ports_and_parameters()
    {
        var references = new HashSet<EndpointReference>();

        var parts = Resolver.Resolve("{sentiment-db.connectionString}", references);

        Assert.Equal(
            [new ValuePart.Text("Host=k8s-db;Port=5432;Password="), new ValuePart.Parameter("pw"), new ValuePart.Text(";Database=x")],
            parts);
        Assert.Equal([new EndpointReference("db", "tcp")], references);
    }

    [Theory]
    [InlineData("{api.bindings.grpc.url}", "http://k8s-api:5202")]
    [InlineData("{api.bindings.http.url}", "http://k8s-api:8080")]
    [InlineData("http://*:{api.bindings.http.targetPort}", "http://*:8080")]
    [InlineData("plain", "plain")]
    public void Endpoint_expressions_resolve_to_kubernetes_dns(string template, string expected)
    {
        Assert.Equal([new ValuePart.Text(expected)], Resolver.Resolve(template));
    }

    [Fact]
    public void Unmapped_parameters_come_from_the_fallback_secret_or_their_default_value()
    {
        var manifest = AspireManifest.Parse("""
            {
              "resources": {
                "admin-password": { "type": "parameter.v0", "value": "{admin-password.inputs.value}", "inputs": { "value": { "type": "string", "secret": true } } },
                "issuer": { "type": "parameter.v0", "value": "{issuer.inputs.value}", "inputs": { "value": { "type": "string", "default": { "value": "https://auth" } } } },
                "db": { "type": "container.v0", "image": "postgres", "env": { "ADMIN": "{admin-password.value}", "ISSUER": "{issuer.value}", "BOTH": "{issuer.value}/{admin-password.value}" },
                        "bindings": { "tcp": { "scheme": "tcp", "protocol": "tcp", "transport": "tcp", "targetPort": 5432 } } }
              }
            }
            """, "/tmp");
        var mapping = PlatformMapping.Parse("""
            { "namespace": "n", "partOf": "p", "monitoring": { "prometheusNamespace": "m" }, "overlays": {},
              "resources": { "db": [ { "name": "db", "role": "database", "execProbe": "true",
                                       "resources": { "requests": { "cpu": "1" }, "limits": { "cpu": "1" } } } ] } }
            """);

        var result = Manifests.Generator.ManifestGenerator.Generate(manifest, mapping);

        var warning = Assert.Single(result.Warnings);
        Assert.Contains("admin-password", warning);
        var workload = result.Files["manifests/base/db.yaml"];
        Assert.Contains("name: aspire-parameters", workload);
        Assert.Contains("value: https://auth", workload);
        Assert.Contains("value: https://auth/$(ADMIN_PASSWORD)", workload);
        Assert.Contains("manifests/secrets/aspire-parameters.template.yaml", result.Files.Keys);
    }

    [Fact]
    public void An_expression_the_generator_cannot_express_is_an_error()
    {
        Assert.Throws<InvalidDataException>(() => Resolver.Resolve("{pw.inputs.value}"));
        Assert.Throws<InvalidDataException>(() => Resolver.Resolve("{missing.connectionString}"));
    }
}
