using System.Text;

namespace Collector.Ingestion;

/// <summary>
/// Decodes a JSON string's raw (still escaped) UTF-8 bytes without failing: lone surrogate escapes and invalid
/// UTF-8 become U+FFFD. System.Text.Json refuses both; old dumps contain both (emoji split by truncation).
/// Only used after the strict decoder has refused a value, so it favours simplicity over speed.
/// </summary>
internal static class JsonStringDecoder
{
    private const char Replacement = '\uFFFD';

    public static string DecodeLeniently(ReadOnlySpan<byte> raw)
    {
        var text = new StringBuilder(raw.Length);
        var run = 0;
        var i = 0;
        while (i < raw.Length)
        {
            if (raw[i] != (byte)'\\')
            {
                i++;
                continue;
            }

            text.Append(Encoding.UTF8.GetString(raw[run..i])); // replaces invalid bytes with U+FFFD
            i = AppendEscape(raw, i, text);
            run = i;
        }

        text.Append(Encoding.UTF8.GetString(raw[run..]));
        return text.ToString();
    }

    /// <summary>Appends the escape at <paramref name="at"/> (a backslash) and returns the index after it.</summary>
    private static int AppendEscape(ReadOnlySpan<byte> raw, int at, StringBuilder text)
    {
        if (at + 1 >= raw.Length)
        {
            text.Append(Replacement);
            return raw.Length;
        }

        switch (raw[at + 1])
        {
            case (byte)'"': text.Append('"'); return at + 2;
            case (byte)'\\': text.Append('\\'); return at + 2;
            case (byte)'/': text.Append('/'); return at + 2;
            case (byte)'b': text.Append('\b'); return at + 2;
            case (byte)'f': text.Append('\f'); return at + 2;
            case (byte)'n': text.Append('\n'); return at + 2;
            case (byte)'r': text.Append('\r'); return at + 2;
            case (byte)'t': text.Append('\t'); return at + 2;
            case (byte)'u': break;
            default: text.Append(Replacement); return at + 2;
        }

        if (!TryReadUnit(raw, at, out var unit))
        {
            text.Append(Replacement);
            return Math.Min(at + 6, raw.Length);
        }

        if (char.IsHighSurrogate(unit) && TryReadUnit(raw, at + 6, out var low) && char.IsLowSurrogate(low))
        {
            text.Append(unit).Append(low);
            return at + 12;
        }

        text.Append(char.IsSurrogate(unit) ? Replacement : unit);
        return at + 6;
    }

    /// <summary>Reads <c>\uXXXX</c> at <paramref name="at"/>.</summary>
    private static bool TryReadUnit(ReadOnlySpan<byte> raw, int at, out char unit)
    {
        unit = default;
        if (at + 6 > raw.Length || raw[at] != (byte)'\\' || raw[at + 1] != (byte)'u')
        {
            return false;
        }

        var value = 0;
        foreach (var b in raw.Slice(at + 2, 4))
        {
            var digit = b switch
            {
                >= (byte)'0' and <= (byte)'9' => b - '0',
                >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
                _ => -1,
            };
            if (digit < 0)
            {
                return false;
            }

            value = (value << 4) | digit;
        }

        unit = (char)value;
        return true;
    }
}
