using k8s.Models;
using Manifests.UnitTests.Crds;

namespace Manifests.UnitTests;

/// <summary>Every committed manifest parses strictly into typed objects, and the custom kinds carry their required fields.</summary>
[Collection(GeneratedKitCollection.Name)]
public sealed class ParsingTests(GeneratedKit kit)
{
    public static TheoryData<string> YamlFiles => new(new GeneratedKit().YamlFiles);

    [Theory]
    [MemberData(nameof(YamlFiles))]
    public void Manifest_parses_strictly_into_typed_objects(string path)
    {
        var objects = Yaml.LoadStrict(kit.Read(path));

        Assert.NotEmpty(objects);
        Assert.All(objects, o => Assert.IsNotType<Dictionary<object, object>>(o));
    }

    [Fact]
    public void Strict_parsing_rejects_an_unknown_field()
    {
        var yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata: {}\nreplicas: 2\n";

        Assert.ThrowsAny<Exception>(() => Yaml.LoadStrict(yaml));
    }

    [Fact]
    public void Strict_parsing_rejects_an_unknown_field_of_a_service_monitor()
    {
        var yaml = "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: x\nspec:\n  endpoint:\n  - port: http\n";

        Assert.ThrowsAny<Exception>(() => Yaml.LoadStrict(yaml));
    }

    [Fact]
    public void Service_monitors_select_a_service_with_the_scraped_port()
    {
        var monitors = Yaml.LoadStrict(kit.Read("manifests/monitoring/service-monitors.yaml")).Cast<ServiceMonitor>().ToList();
        var services = kit.BaseObjects().OfType<V1Service>().ToList();

        Assert.Equal(services.Select(s => s.Metadata.Labels["app"]).Distinct().Order(), monitors.Select(m => m.Metadata.Name).Order());
        foreach (var monitor in monitors)
        {
            Assert.Equal("monitoring.coreos.com/v1", monitor.ApiVersion);
            Assert.NotNull(monitor.Spec?.Selector?.MatchLabels);
            Assert.NotEmpty(monitor.Spec!.Endpoints!);
            var selected = services.Where(s => monitor.Spec.Selector!.MatchLabels.All(l => s.Metadata.Labels.TryGetValue(l.Key, out var v) && v == l.Value)).ToList();
            foreach (var endpoint in monitor.Spec.Endpoints!)
            {
                // Exactly one selected Service has the scraped port: for a project its -metrics Service, never the public one.
                var service = Assert.Single(selected, s => s.Spec.Ports.Any(p => p.Name == endpoint.Port));
                Assert.DoesNotContain(service.Spec.Ports, p => p.Name == "http" && endpoint.Port != "http");
                Assert.Equal("/metrics", endpoint.Path);
                Assert.Matches("^[0-9]+[smh]$", endpoint.Interval);
            }
        }
    }

    [Fact]
    public void Prometheus_rules_have_their_required_fields_and_well_formed_expressions()
    {
        var rule = Assert.IsType<PrometheusRule>(Assert.Single(Yaml.LoadStrict(kit.Read("manifests/monitoring/prometheus-rules.yaml"))));
        var groups = rule.Spec?.Groups;

        Assert.NotNull(groups);
        Assert.NotEmpty(groups);
        foreach (var group in groups)
        {
            Assert.False(string.IsNullOrWhiteSpace(group.Name));
            Assert.NotEmpty(group.Rules!);
            foreach (var alert in group.Rules!)
            {
                Assert.False(string.IsNullOrWhiteSpace(alert.Alert), "a rule without alert (nor record)");
                Assert.Null(alert.Record);
                Assert.False(string.IsNullOrWhiteSpace(alert.Expr), $"{alert.Alert} has no expr");
                Assert.True(Balanced(alert.Expr!), $"{alert.Alert}: unbalanced brackets in {alert.Expr}");
                Assert.Matches("^[0-9]+[smh]$", alert.For);
                Assert.Contains(alert.Labels!["severity"], new[] { "warning", "critical" });
                Assert.False(string.IsNullOrWhiteSpace(alert.Annotations!["summary"]));
                Assert.False(string.IsNullOrWhiteSpace(alert.Annotations!["description"]));
            }
        }

        var names = groups.SelectMany(g => g.Rules!).Select(r => r.Alert).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
    }

    [Fact]
    public void Alerts_cover_the_runbook_symptoms()
    {
        var rule = (PrometheusRule)Yaml.LoadStrict(kit.Read("manifests/monitoring/prometheus-rules.yaml")).Single();
        var alerts = rule.Spec!.Groups!.SelectMany(g => g.Rules!).ToDictionary(r => r.Alert!, r => r.Expr!);

        Assert.Contains("deriv(collector_queue_length", alerts["CollectorQueueGrowing"]);
        Assert.Contains("collector_queue_length", alerts["CollectorProcessingLag"]);
        Assert.Contains("collector_items_failed_total", alerts["CollectorFailedItemRate"]);
        Assert.Contains("histogram_quantile(0.99", alerts["ScorerLatencyP99High"]);
        Assert.Contains("ResourceExhausted", alerts["ScorerResourceExhausted"]);
        Assert.Contains("5..", alerts["Http5xxRate"]);
        Assert.Contains("up{", alerts["ServiceDown"]);
        Assert.Contains("pg_settings_max_connections", alerts["PostgresConnectionsNearLimit"]);
        Assert.Contains("redis_memory_used_bytes", alerts["RedisMemoryHigh"]);
    }

    private static bool Balanced(string text)
    {
        var stack = new Stack<char>();
        var inString = false;
        foreach (var c in text)
        {
            if (c == '"')
            {
                inString = !inString;
            }
            else if (inString)
            {
                continue;
            }
            else if (c is '(' or '[' or '{')
            {
                stack.Push(c);
            }
            else if (c is ')' or ']' or '}')
            {
                var expected = c switch { ')' => '(', ']' => '[', _ => '{' };
                if (stack.Count == 0 || stack.Pop() != expected)
                {
                    return false;
                }
            }
        }

        return stack.Count == 0 && !inString;
    }
}
