using System.Text.RegularExpressions;
using RedditSentiment.Testing;

namespace Docs.UnitTests;

/// <summary>
/// What the README and the docs tell users to run or open must exist as written: every <c>./scripts/…</c> command
/// is an executable script that knows each option it is shown with, every <c>--project</c> is a project, and every
/// repository path in a link or in backticks is there. The commands themselves run in the tests that own them
/// (the first ten minutes, backup and restore, the trainer, the benchmarks); this test fails when a rename or a
/// removed option leaves a document behind.
/// </summary>
public sealed partial class DocumentedCommandsTests
{
    private static readonly string Root = RepositoryRoot.Folder;

    public static TheoryData<string> Documents()
    {
        var documents = new TheoryData<string> { "README.md", "training/README.md" };
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Root, "docs"), "*.md").Order(StringComparer.Ordinal))
        {
            documents.Add(Path.GetRelativePath(Root, file));
        }

        return documents;
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void Scripts_exist_and_know_the_options_they_are_shown_with(string document)
    {
        foreach (var line in CommandLines(document))
        {
            foreach (Match call in ScriptCall().Matches(line))
            {
                var script = Path.Combine(Root, "scripts", call.Groups["name"].Value);
                Assert.True(File.Exists(script), $"{document}: `{line.Trim()}` runs scripts/{call.Groups["name"].Value}, which does not exist");
                Assert.True(OperatingSystem.IsWindows() || (File.GetUnixFileMode(script) & UnixFileMode.UserExecute) != 0,
                    $"scripts/{call.Groups["name"].Value} is not executable");
                var text = File.ReadAllText(script);
                foreach (Match option in Option().Matches(call.Groups["arguments"].Value))
                {
                    Assert.True(text.Contains(option.Value, StringComparison.Ordinal) || ForwardsOptions(text),
                        $"{document}: `{line.Trim()}` passes {option.Value}, which scripts/{call.Groups["name"].Value} does not know");
                }
            }

            foreach (Match project in ProjectOption().Matches(line))
            {
                Assert.True(Directory.Exists(Path.Combine(Root, project.Groups["path"].Value)),
                    $"{document}: `{line.Trim()}` names project {project.Groups["path"].Value}, which does not exist");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void Repository_paths_it_links_or_names_exist(string document)
    {
        var text = File.ReadAllText(Path.Combine(Root, document));
        var folder = Path.GetDirectoryName(Path.Combine(Root, document))!;
        foreach (Match link in Link().Matches(text))
        {
            var target = link.Groups["target"].Value.Split('#')[0];
            Assert.True(File.Exists(Path.Combine(folder, target)) || Directory.Exists(Path.Combine(folder, target)),
                $"{document} links to {target}, which does not exist");
        }

        foreach (Match path in BacktickedPath().Matches(text))
        {
            var value = path.Groups["path"].Value;
            if (value.Contains("NNNN", StringComparison.Ordinal))
            {
                continue; // a pattern such as Migrations/NNNN_name.sql, not a file
            }

            Assert.True(File.Exists(Path.Combine(Root, value)) || Directory.Exists(Path.Combine(Root, value)),
                $"{document} names {value}, which does not exist");
        }
    }

    /// <summary>The lines of a document's fenced shell blocks, continuation lines joined.</summary>
    private static IEnumerable<string> CommandLines(string document)
    {
        var inShell = false;
        var pending = "";
        foreach (var line in File.ReadLines(Path.Combine(Root, document)))
        {
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inShell = !inShell && line.Trim() is "```sh" or "```bash";
                continue;
            }

            if (!inShell)
            {
                continue;
            }

            var code = line.Split(" # ")[0];
            if (code.EndsWith('\\'))
            {
                pending += code[..^1];
                continue;
            }

            yield return pending + code;
            pending = "";
        }
    }

    /// <summary>A wrapper that hands its options to a program (its own --help documents them), not a script with options of its own.</summary>
    private static bool ForwardsOptions(string script) => script.Contains("run_built ", StringComparison.Ordinal);

    [GeneratedRegex(@"\./scripts/(?<name>[a-z][a-z0-9-]*)(?<arguments>[^|;&)]*)")]
    private static partial Regex ScriptCall();

    [GeneratedRegex(@"(?<![\w-])--[a-z][a-z0-9-]*")]
    private static partial Regex Option();

    [GeneratedRegex(@"--project\s+(?<path>[A-Za-z][\w./-]*)")]
    private static partial Regex ProjectOption();

    [GeneratedRegex(@"\]\((?<target>(?!https?:|mailto:|#)[^)\s]+)\)")]
    private static partial Regex Link();

    /// <summary>Backticked paths under the repository's top-level folders, with a file extension (wildcards and placeholders left out).</summary>
    [GeneratedRegex(@"`(?<path>(?:AppHost|Collector|Contracts|Gateway|Identity|Scorer|ServiceDefaults|protos|tests|manifests|scripts|training|docs)/[\w./-]+\.(?:cs|md|sql|proto|json|yaml|sh|py|csproj|safetensors))`")]
    private static partial Regex BacktickedPath();
}
