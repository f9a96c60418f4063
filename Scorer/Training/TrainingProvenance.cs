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
}
