using System.Text;

namespace Collector.Storage;

/// <summary>
/// Makes a string storable in a PostgreSQL <c>text</c> column. PostgreSQL refuses U+0000 in text (22021),
/// and a lone UTF-16 surrogate (from a JSON <c>\ud83d</c> escape without its pair) has no UTF-8 form; Reddit
/// data holds both now and then. NUL is dropped (it carries nothing a reader sees) and a lone surrogate becomes
/// U+FFFD, so one odd character never costs an item, let alone its batch.
/// </summary>
public static class StorableText
{
    public static string Clean(string text)
    {
        var span = text.AsSpan();
        if (span.IndexOf('\0') < 0 && (span.IndexOfAnyInRange('\uD800', '\uDFFF') < 0 || IsWellFormed(span)))
        {
            return text; // the common case allocates nothing
        }

        var builder = new StringBuilder(text.Length);
        while (!span.IsEmpty)
        {
            var status = Rune.DecodeFromUtf16(span, out var rune, out var consumed);
            if (status != System.Buffers.OperationStatus.Done)
            {
                builder.Append('\uFFFD');
            }
            else if (rune.Value != 0)
            {
                builder.Append(span[..consumed]);
            }

            span = span[consumed..];
        }

        return builder.ToString();
    }

    private static bool IsWellFormed(ReadOnlySpan<char> span)
    {
        while (!span.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(span, out _, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return false;
            }

            span = span[consumed..];
        }

        return true;
    }
}
