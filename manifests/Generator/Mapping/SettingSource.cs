namespace Manifests.Generator.Mapping;

/// <summary>Where a setting comes from in the cluster (see the header of <c>manifests/mapping.json</c>).</summary>
public abstract record SettingSource
{
    public sealed record Literal(string Value) : SettingSource;

    public sealed record SecretKey(string Secret, string Key, bool Optional) : SettingSource;

    public sealed record ConfigMapKey(string ConfigMap, string Key, bool Optional) : SettingSource;

    /// <summary>Keys <c>KEY.0</c>, <c>KEY.1</c>, ... of a ConfigMap, each optional, as <c>SETTING__0</c>, ...</summary>
    public sealed record ConfigMapList(string ConfigMap, string Key) : SettingSource;

    public static SettingSource Parse(string text)
    {
        var colon = text.IndexOf(':');
        var scheme = colon > 0 ? text[..colon] : "";
        var reference = colon > 0 ? text[(colon + 1)..] : "";
        return scheme switch
        {
            "secret" or "secret?" => Split(reference, text, (name, key) => new SecretKey(name, key, scheme.EndsWith('?'))),
            "config" or "config?" => Split(reference, text, (name, key) => new ConfigMapKey(name, key, scheme.EndsWith('?'))),
            "config-list" => Split(reference, text, (name, key) => new ConfigMapList(name, key)),
            _ => new Literal(text),
        };
    }

    private static SettingSource Split(string reference, string text, Func<string, string, SettingSource> create)
    {
        var slash = reference.IndexOf('/');
        return slash > 0 && slash < reference.Length - 1
            ? create(reference[..slash], reference[(slash + 1)..])
            : throw new InvalidDataException($"'{text}' should read scheme:NAME/KEY.");
    }
}
