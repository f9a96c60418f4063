using System.Runtime.CompilerServices;
using System.Text;

namespace Scorer.Training;

/// <summary>One record of a tab-separated file and the 1-based line it starts on.</summary>
public sealed record TsvRecord(int LineNumber, IReadOnlyList<string> Fields);

/// <summary>
/// Reads tab-separated records the way pandas and Python's <c>csv</c> module write them (GoEmotions and the
/// eval files are written so): a field that starts with <c>"</c> is quoted, <c>""</c> inside it is one quote,
/// and it may span lines; a quote anywhere else is an ordinary character. CRLF and LF both end a line; blank
/// lines are skipped.
/// </summary>
public static class TsvRecordReader
{
    public static async IAsyncEnumerable<TsvRecord> ReadAsync(
        TextReader reader, string source, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        int lineNumber = 0;
        var fields = new List<string>();
        var field = new StringBuilder();
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            int startLine = lineNumber;
            fields.Clear();
            int position = 0;
            while (true)
            {
                field.Clear();
                if (position < line.Length && line[position] == '"')
                {
                    // Quoted field: runs to the lone closing quote, across line ends if need be.
                    position++;
                    while (true)
                    {
                        int quote = line.IndexOf('"', position);
                        if (quote < 0)
                        {
                            field.Append(line, position, line.Length - position);
                            string? next = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
                            if (next is null)
                            {
                                throw new TsvFormatException(source, startLine, "a quoted field is not closed before the end of the file");
                            }

                            lineNumber++;
                            field.Append('\n');
                            line = next;
                            position = 0;
                            continue;
                        }

                        field.Append(line, position, quote - position);
                        if (quote + 1 < line.Length && line[quote + 1] == '"')
                        {
                            field.Append('"');
                            position = quote + 2;
                            continue;
                        }

                        position = quote + 1;
                        break;
                    }

                    if (position < line.Length && line[position] != '\t')
                    {
                        throw new TsvFormatException(source, lineNumber,
                            $"unexpected character '{line[position]}' after the closing quote of field {fields.Count + 1}");
                    }
                }
                else
                {
                    int tab = line.IndexOf('\t', position);
                    int end = tab < 0 ? line.Length : tab;
                    field.Append(line, position, end - position);
                    position = end;
                }

                fields.Add(field.ToString());
                if (position >= line.Length)
                {
                    break;
                }

                position++; // past the tab; a trailing tab yields a last, empty field
                if (position == line.Length)
                {
                    fields.Add(string.Empty);
                    break;
                }
            }

            yield return new TsvRecord(startLine, fields.ToArray());
        }
    }
}
