using System.Globalization;
using k8s.Models;
using Manifests.Generator.AppModel;
using Manifests.Generator.Mapping;

namespace Manifests.Generator.Kubernetes;

/// <summary>
/// A container's environment. A value that mixes text and secrets (a connection string with its password)
/// reads the secret into a variable of its own first and refers to it as <c>$(NAME)</c>, which Kubernetes
/// expands from variables defined earlier in the list; so a password lives only in its Secret.
/// </summary>
internal sealed class EnvironmentBuilder(PlatformModel model, string owner)
{
    private readonly List<V1EnvVar> _helpers = [];
    private readonly HashSet<string> _helperNames = new(StringComparer.Ordinal);
    private readonly List<V1EnvVar> _variables = [];

    public void AddResolved(string name, IReadOnlyList<ValuePart> parts)
    {
        if (parts is [ValuePart.Parameter single])
        {
            Add(FromSource(name, model.ParameterSource(single.Name)));
            return;
        }

        var value = string.Concat(parts.Select(part => part switch
        {
            ValuePart.Text text => Escape(text.Value),
            ValuePart.Parameter p when model.ParameterSource(p.Name) is SettingSource.Literal literal => Escape(literal.Value),
            ValuePart.Parameter p => $"$({Helper(p.Name)})",
            _ => throw new InvalidOperationException(),
        }));
        Add(new V1EnvVar { Name = name, Value = value });
    }

    public void AddSource(string name, SettingSource source)
    {
        if (source is SettingSource.ConfigMapList list)
        {
            for (var i = 0; i < model.Mapping.ListSlots; i++)
            {
                Add(FromSource($"{name}__{i.ToString(CultureInfo.InvariantCulture)}",
                    new SettingSource.ConfigMapKey(list.ConfigMap, $"{list.Key}.{i.ToString(CultureInfo.InvariantCulture)}", Optional: true)));
            }

            return;
        }

        Add(FromSource(name, source));
    }

    /// <summary>
    /// The project's metrics listener: <c>Metrics__Port</c> for the service, and the port bound beside its others,
    /// in the form its other ports take (a <c>Kestrel__Endpoints__metrics__Url</c> where Kestrel endpoints are
    /// configured, which override <c>HTTP_PORTS</c>; otherwise one more of <c>HTTP_PORTS</c>).
    /// </summary>
    public void AddMetricsListener(int port)
    {
        var text = port.ToString(CultureInfo.InvariantCulture);
        var httpPorts = _variables.FindIndex(v => v.Name == "HTTP_PORTS");
        if (_variables.Any(v => v.Name.StartsWith("Kestrel__Endpoints__", StringComparison.Ordinal)))
        {
            Add(new V1EnvVar { Name = "Kestrel__Endpoints__metrics__Url", Value = $"http://*:{text}" });
        }
        else if (httpPorts >= 0)
        {
            _variables[httpPorts] = new V1EnvVar { Name = "HTTP_PORTS", Value = $"{_variables[httpPorts].Value};{text}" };
        }
        else
        {
            throw new InvalidDataException($"{owner}: neither HTTP_PORTS nor Kestrel endpoints to bind the metrics port beside.");
        }

        Add(new V1EnvVar { Name = "Metrics__Port", Value = text });
    }

    public IReadOnlyList<V1EnvVar> Build()
    {
        // A variable that is exactly a helper (REDIS_PASSWORD beside a connection string that uses it) is kept once.
        var all = _helpers.Concat(_variables.Where(v => !_helpers.Any(h => h.Name == v.Name && SameSource(h, v)))).ToList();
        foreach (var duplicate in all.GroupBy(v => v.Name).Where(g => g.Count() > 1))
        {
            throw new InvalidDataException($"{owner}: environment variable {duplicate.Key} is defined twice.");
        }

        return all;
    }

    private static bool SameSource(V1EnvVar a, V1EnvVar b) =>
        a.Value == b.Value &&
        a.ValueFrom?.SecretKeyRef?.Name == b.ValueFrom?.SecretKeyRef?.Name && a.ValueFrom?.SecretKeyRef?.Key == b.ValueFrom?.SecretKeyRef?.Key &&
        a.ValueFrom?.ConfigMapKeyRef?.Name == b.ValueFrom?.ConfigMapKeyRef?.Name && a.ValueFrom?.ConfigMapKeyRef?.Key == b.ValueFrom?.ConfigMapKeyRef?.Key;

    private void Add(V1EnvVar variable) => _variables.Add(variable);

    private string Helper(string parameter)
    {
        var name = new string(parameter.ToUpperInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());
        if (_helperNames.Add(name))
        {
            _helpers.Add(FromSource(name, model.ParameterSource(parameter)));
        }

        return name;
    }

    private static V1EnvVar FromSource(string name, SettingSource source) => source switch
    {
        SettingSource.Literal literal => new V1EnvVar { Name = name, Value = Escape(literal.Value) },
        SettingSource.SecretKey secret => new V1EnvVar
        {
            Name = name,
            ValueFrom = new V1EnvVarSource
            {
                SecretKeyRef = new V1SecretKeySelector { Name = secret.Secret, Key = secret.Key, Optional = secret.Optional ? true : null },
            },
        },
        SettingSource.ConfigMapKey config => new V1EnvVar
        {
            Name = name,
            ValueFrom = new V1EnvVarSource
            {
                ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = config.ConfigMap, Key = config.Key, Optional = config.Optional ? true : null },
            },
        },
        _ => throw new InvalidDataException($"{name}: a list cannot be used here."),
    };

    /// <summary>Kubernetes would expand <c>$(X)</c> in a literal; <c>$$</c> keeps it as written.</summary>
    private static string Escape(string text) => text.Replace("$(", "$$(", StringComparison.Ordinal);
}
