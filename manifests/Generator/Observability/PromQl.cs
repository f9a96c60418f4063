using System.Text.RegularExpressions;

namespace Manifests.Generator.Observability;

/// <summary>Just enough PromQL to list the metric names an expression reads.</summary>
public static partial class PromQl
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring", "group_left", "group_right", "inf", "nan",
    };

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'")]
    private static partial Regex Strings();

    [GeneratedRegex(@"\{[^{}]*\}|\[[^\[\]]*\]")]
    private static partial Regex MatchersAndRanges();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)")]
    private static partial Regex Groupings();

    [GeneratedRegex(@"(?<![\w.$])[a-zA-Z_:][\w:]*")]
    private static partial Regex Identifiers();

    /// <summary>The metric names <paramref name="expression"/> selects, without functions, keywords and labels.</summary>
    public static IReadOnlySet<string> MetricNames(string expression)
    {
        var text = Strings().Replace(expression, "\"\"");
        text = MatchersAndRanges().Replace(text, " ");
        text = Groupings().Replace(text, " ");

        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (Match match in Identifiers().Matches(text))
        {
            var rest = text.AsSpan(match.Index + match.Length).TrimStart();
            if (Keywords.Contains(match.Value) || rest.StartsWith("("))
            {
                continue;
            }

            names.Add(match.Value);
        }

        return names;
    }
}
