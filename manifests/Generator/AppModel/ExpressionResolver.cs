using System.Text;
using System.Text.RegularExpressions;

namespace Manifests.Generator.AppModel;

/// <summary>A piece of a resolved value: text, or an Aspire parameter that the cluster supplies.</summary>
public abstract record ValuePart
{
    public sealed record Text(string Value) : ValuePart;

    public sealed record Parameter(string Name) : ValuePart;
}

/// <summary>An endpoint of the app model that a value refers to (for network policies).</summary>
public sealed record EndpointReference(string Resource, string Binding);

/// <summary>
/// Turns the Aspire manifest's expressions (<c>{sentiment-db.connectionString}</c>,
/// <c>{scorer.bindings.grpc.url}</c>, <c>{redis-password.value}</c>) into what they are in the cluster: Service
/// DNS names and ports, literal text, and parameters that come from Secrets.
/// </summary>
public sealed partial class ExpressionResolver(AspireManifest manifest, Func<string, string> serviceHost, int projectHttpPort)
{
    [GeneratedRegex(@"\{([^{}]+)\}")]
    private static partial Regex Placeholder();

    public IReadOnlyList<ValuePart> Resolve(string template, ISet<EndpointReference>? references = null) =>
        Merge(ResolveParts(template, references ?? new HashSet<EndpointReference>(), depth: 0));

    /// <summary>The port a binding listens on: its target port, or the projects' default.</summary>
    public int PortOf(string resource, Binding binding) =>
        binding.TargetPort ?? (manifest.IsProject(resource)
            ? projectHttpPort
            : throw new InvalidDataException($"Endpoint '{binding.Name}' of '{resource}' has no target port."));

    private List<ValuePart> ResolveParts(string template, ISet<EndpointReference> references, int depth)
    {
        if (depth > 16)
        {
            throw new InvalidDataException($"Expression nesting too deep at '{template}'.");
        }

        var parts = new List<ValuePart>();
        var last = 0;
        foreach (Match match in Placeholder().Matches(template))
        {
            parts.Add(new ValuePart.Text(template[last..match.Index]));
            parts.AddRange(ResolveReference(match.Groups[1].Value, references, depth));
            last = match.Index + match.Length;
        }

        parts.Add(new ValuePart.Text(template[last..]));
        return parts;
    }

    private IEnumerable<ValuePart> ResolveReference(string reference, ISet<EndpointReference> references, int depth)
    {
        var path = reference.Split('.');
        var resource = path[0];
        if (!manifest.Contains(resource))
        {
            throw new InvalidDataException($"'{{{reference}}}' refers to '{resource}', which the Aspire manifest lacks.");
        }

        switch (path[1..])
        {
            case ["connectionString"]:
                return ResolveParts(manifest.String(resource, "connectionString") ?? "", references, depth + 1);

            case ["value"] when manifest.IsParameter(resource):
                return [new ValuePart.Parameter(resource)];

            case ["value"] when manifest.TypeOf(resource) == "value.v0":
                return ResolveParts(manifest.String(resource, "value") ?? "", references, depth + 1);

            case ["bindings", var bindingName, var property]:
                var binding = manifest.Bindings(resource).SingleOrDefault(b => b.Name == bindingName)
                    ?? throw new InvalidDataException($"'{{{reference}}}': '{resource}' has no endpoint '{bindingName}'.");
                references.Add(new EndpointReference(resource, bindingName));
                var scheme = binding.Scheme;
                return [new ValuePart.Text(property switch
                {
                    "host" => serviceHost(resource),
                    "port" or "targetPort" => PortOf(resource, binding).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "scheme" => scheme,
                    "url" => $"{scheme}://{serviceHost(resource)}:{PortOf(resource, binding)}",
                    _ => throw new InvalidDataException($"'{{{reference}}}': endpoint property '{property}' is not supported."),
                })];

            default:
                throw new InvalidDataException(
                    $"'{{{reference}}}' ({manifest.TypeOf(resource)}) cannot be expressed in Kubernetes by the generator; " +
                    "leave the variable out with dropProjectEnv in manifests/mapping.json, or teach the generator.");
        }
    }

    private static List<ValuePart> Merge(IEnumerable<ValuePart> parts)
    {
        var merged = new List<ValuePart>();
        var text = new StringBuilder();
        foreach (var part in parts)
        {
            if (part is ValuePart.Text t)
            {
                text.Append(t.Value);
                continue;
            }

            if (text.Length > 0)
            {
                merged.Add(new ValuePart.Text(text.ToString()));
                text.Clear();
            }

            merged.Add(part);
        }

        if (text.Length > 0 || merged.Count == 0)
        {
            merged.Add(new ValuePart.Text(text.ToString()));
        }

        return merged;
    }
}
