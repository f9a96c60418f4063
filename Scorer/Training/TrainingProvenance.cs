using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Scorer.Training;

/// <summary>Where a head came from: inputs (by hash), rows, settings, dev figures, when and how it was made.</summary>
public sealed record TrainingProvenance
{
    public required string TrainSha256 { get; init; }

    public required string DevSha256 { get; init; }

    public required int TrainRows { get; init; }

    public required int DevRows { get; init; }

    /// <summary>Rows left out per split ("train", "dev") and reason ("ambiguous", "mixed").</summary>
    public required IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> ExcludedRows { get; init; }

    public required JsonObject Hyperparameters { get; init; }

    public required JsonObject DevMetrics { get; init; }

    public required double EceBefore { get; init; }

    public required double EceAfter { get; init; }

    public required DateTimeOffset Date { get; init; }

    public required string Command { get; init; }

    /// <summary>The head file's <c>training</c> object: ECE rounded to 6 decimals (null when not a number), the date in UTC to the second.</summary>
    public JsonElement ToJson()
    {
        using JsonDocument json = JsonDocument.Parse(CompactJson.Serialize(Write));
        return json.RootElement.Clone();
    }

    private void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("train_sha256", TrainSha256);
        writer.WriteString("dev_sha256", DevSha256);
        writer.WriteNumber("train_rows", TrainRows);
        writer.WriteNumber("dev_rows", DevRows);
        writer.WriteStartObject("excluded_rows");
        foreach ((string split, IReadOnlyDictionary<string, int> reasons) in ExcludedRows)
        {
            writer.WriteStartObject(split);
            foreach ((string reason, int count) in reasons)
            {
                writer.WriteNumber(reason, count);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WritePropertyName("hyperparameters");
        Hyperparameters.WriteTo(writer);
        writer.WritePropertyName("dev_metrics");
        DevMetrics.WriteTo(writer);
        CompactJson.WriteMetric(writer, "ece_before", EceBefore);
        CompactJson.WriteMetric(writer, "ece_after", EceAfter);
        writer.WriteString("date", Date.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        writer.WriteString("command", Command);
        writer.WriteEndObject();
    }
}
