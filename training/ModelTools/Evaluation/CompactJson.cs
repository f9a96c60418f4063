using System.Text.Json;

namespace ModelTools.Evaluation;

/// <summary>Number formatting shared by the report and the head's provenance: short, culture-free, never NaN.</summary>
internal static class CompactJson
{
    /// <summary>A metric rounded to 6 decimals; null when it is not a number (JSON has no NaN).</summary>
    public static void WriteMetric(Utf8JsonWriter writer, string name, double value)
    {
        writer.WritePropertyName(name);
        WriteMetricValue(writer, value);
    }

    public static void WriteMetricValue(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(Math.Round(value, 6));
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    public static string Serialize(Action<Utf8JsonWriter> write, bool indented = false)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
        {
            write(writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
