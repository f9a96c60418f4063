using System.ComponentModel.DataAnnotations;

namespace Scorer.Services;

/// <summary>What one scoring call may carry (section <c>Scorer:Limits</c>).</summary>
public sealed class ScoringLimits
{
    public const string SectionName = "Scorer:Limits";

    [Range(1, 100_000)]
    public int MaxItemsPerRequest { get; set; } = 2048;

    /// <summary>UTF-8 bytes of one text. Reddit allows 40,000 characters in a self post.</summary>
    [Range(1, 4 * 1024 * 1024)]
    public int MaxTextBytes { get; set; } = 160_000;

    /// <summary>The model used when a call names none.</summary>
    [Required]
    public string DefaultModel { get; set; } = Models.ModelNames.Accurate;
}
