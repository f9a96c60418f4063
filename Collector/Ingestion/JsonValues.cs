using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Collector.Ingestion;

/// <summary>Reads the values of the fields <see cref="RedditJsonMapper"/> maps, tolerating each era's quirks.</summary>
internal static class JsonValues
{
    private const int MaxDetailLength = 40;

    // Unix seconds that DateTimeOffset can represent (0001-01-01 to 9999-12-31).
    private const long MinUnixSeconds = -62_135_596_800;
    private const long MaxUnixSeconds = 253_402_300_799;

    /// <summary>Skips the current value (and its children); the reader must hold all of it.</summary>
    public static void Skip(ref Utf8JsonReader reader)
    {
        if (!reader.TrySkip())
        {
            throw new JsonException("The object is incomplete: the reader holds only part of it.");
        }
    }

    /// <summary>A string value; null for JSON null and for values of other types (which are skipped).</summary>
    public static string? ReadString(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            Skip(ref reader);
            return null;
        }

        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException)
        {
            // Lone surrogate escapes ("\ud83d") and stray bytes occur in real dumps; keep the text.
            return JsonStringDecoder.DecodeLeniently(RawValue(ref reader));
        }
    }

    public static int? ReadScore(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number when reader.TryGetInt32(out var score):
                return score;
            case JsonTokenType.Number when reader.TryGetDouble(out var score) && double.IsFinite(score):
                return (int)Math.Clamp(Math.Round(score), int.MinValue, int.MaxValue);
            case JsonTokenType.String when !reader.ValueIsEscaped && !reader.HasValueSequence
                                           && int.TryParse(reader.ValueSpan, NumberStyles.Integer, CultureInfo.InvariantCulture, out var score):
                return score;
            default:
                Skip(ref reader);
                return null;
        }
    }

    /// <summary>A Unix time in seconds: an integer, a float or a numeric string.</summary>
    public static UnixTime ReadUnixTime(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return UnixTime.Missing;
            case JsonTokenType.Number:
                return reader.TryGetInt64(out var seconds) ? FromUnixSeconds(seconds, ref reader)
                    : reader.TryGetDouble(out var fractional) ? FromUnixSeconds(fractional, ref reader)
                    : Invalid(ref reader);
            case JsonTokenType.String:
                var text = RawValue(ref reader).Trim(" \t"u8);
                if (reader.ValueIsEscaped)
                {
                    return Invalid(ref reader); // digits never need escaping
                }

                return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var fromText)
                    ? FromUnixSeconds(fromText, ref reader)
                    : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var fractionalText)
                        ? FromUnixSeconds(fractionalText, ref reader)
                        : Invalid(ref reader);
            default:
                var type = RedditJsonMapper.Describe(reader.TokenType);
                Skip(ref reader);
                return new UnixTime(null, $"{MappingReasons.InvalidCreatedUtc}: {type}");
        }
    }

    private static UnixTime FromUnixSeconds(long seconds, ref Utf8JsonReader reader) =>
        seconds is >= MinUnixSeconds and <= MaxUnixSeconds
            ? new UnixTime(DateTimeOffset.FromUnixTimeSeconds(seconds), null)
            : Invalid(ref reader);

    private static UnixTime FromUnixSeconds(double seconds, ref Utf8JsonReader reader) =>
        double.IsFinite(seconds) && seconds >= MinUnixSeconds && seconds <= MaxUnixSeconds
            ? new UnixTime(DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000)), null)
            : Invalid(ref reader);

    private static UnixTime Invalid(ref Utf8JsonReader reader)
    {
        var raw = RawValue(ref reader);
        var shown = Encoding.UTF8.GetString(raw[..Math.Min(raw.Length, MaxDetailLength)]);
        var value = reader.TokenType == JsonTokenType.String ? $"\"{shown}\"" : shown;
        return new UnixTime(null, $"{MappingReasons.InvalidCreatedUtc}: {value}");
    }

    private static ReadOnlySpan<byte> RawValue(ref Utf8JsonReader reader) =>
        reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan;
}

/// <summary>A <c>created_utc</c>: the time, or why there is none (null and null: absent).</summary>
internal readonly record struct UnixTime(DateTimeOffset? At, string? Error)
{
    public static readonly UnixTime Missing = new(null, null);
}
