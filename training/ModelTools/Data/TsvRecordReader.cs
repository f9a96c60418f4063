using System.Runtime.CompilerServices;
using System.Text;

namespace ModelTools.Data;

/// <summary>One record of a tab-separated file and the 1-based line it is on.</summary>
public sealed record TsvRecord(int LineNumber, IReadOnlyList<string> Fields);

/// <summary>
/// Reads tab-separated records one line each, from files of two conventions at once:
/// <list type="bullet">
/// <item>plain TSV (the sentiment sets): no quoting at all, a <c>"</c> is an ordinary character, and a tweet may
/// well start with one (<c>"Fatty Kim The Third" 😭😭😭</c>);</item>
/// <item>pandas / Python <c>csv</c> output (GoEmotions and the files derived from it): a field that starts with
/// <c>"</c> is quoted and <c>""</c> inside it is one quote.</item>
/// </list>
/// A field that starts with <c>"</c> is read as quoted only when it is well formed as such: its closing quote is
/// followed by a tab or the end of the line and every quote inside is doubled. Anything else is taken literally,
/// up to the next tab. So both kinds of file read without a setting, and no line can fail to parse here (a
/// record with the wrong number of fields is for the caller to report). CRLF and LF both end a line; blank
/// lines are skipped.
/// </summary>
public static class TsvRecordReader
{
    public static async IAsyncEnumerable<TsvRecord> ReadAsync(
        TextReader reader, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var lineNumber = 0;
        var field = new StringBuilder();
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            lineNumber++;
            if (line.Length > 0)
            {
                yield return new TsvRecord(lineNumber, Split(line, field));
            }
        }
    }

    /// <summary>The fields of one line (see the class summary for the quoting rule).</summary>
    public static string[] Split(string line, StringBuilder? scratch = null)
    {
        scratch ??= new StringBuilder();
        var fields = new List<string>();
        var position = 0;
        while (true)
        {
            if (TryReadQuoted(line, position, scratch, out var end))
            {
                fields.Add(scratch.ToString());
                position = end;
            }
            else
            {
                var tab = line.IndexOf('\t', position);
                end = tab < 0 ? line.Length : tab;
                fields.Add(line[position..end]);
                position = end;
            }

            if (position >= line.Length)
            {
                return [.. fields];
            }

            position++; // past the tab; a trailing tab yields a last, empty field
            if (position == line.Length)
            {
                fields.Add(string.Empty);
                return [.. fields];
            }
        }
    }

    /// <summary>
    /// Reads a well-formed quoted field at <paramref name="start"/> into <paramref name="field"/>;
    /// <paramref name="end"/> is the index of the tab (or line end) after it. False when the field is not quoted
    /// or not well formed, which makes it a literal field.
    /// </summary>
    private static bool TryReadQuoted(string line, int start, StringBuilder field, out int end)
    {
        end = start;
        if (start >= line.Length || line[start] != '"')
        {
            return false;
        }

        field.Clear();
        var position = start + 1;
        while (true)
        {
            var quote = line.IndexOf('"', position);
            if (quote < 0)
            {
                return false;
            }

            field.Append(line, position, quote - position);
            if (quote + 1 < line.Length && line[quote + 1] == '"')
            {
                field.Append('"');
                position = quote + 2;
                continue;
            }

            end = quote + 1;
            return end == line.Length || line[end] == '\t';
        }
    }
}
