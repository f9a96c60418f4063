using System.ComponentModel.DataAnnotations;

namespace Scorer.Models.Accurate;

public enum AccurateDevice
{
    /// <summary>CUDA where it loads, else CPU (with one log line saying why).</summary>
    Auto,
    Cpu,

    /// <summary>CUDA or fail at start.</summary>
    Cuda,
}

public enum AccuratePrecision
{
    /// <summary>int8 on CPU, fp32 on CUDA (the int8 MatMul has CPU kernels only).</summary>
    Auto,
    Fp32,
    Int8,
}

/// <summary>The accurate model's settings, section <c>Scorer:Accurate</c>.</summary>
public sealed class AccurateModelOptions : IValidatableObject
{
    public const string SectionName = "Scorer:Accurate";

    public AccurateDevice Device { get; set; } = AccurateDevice.Auto;

    /// <summary>An <see cref="EncoderCatalog"/> name: <c>all-MiniLM-L6-v2</c> or <c>snowflake-arctic-embed-xs</c>.</summary>
    [Required]
    public string Encoder { get; set; } = EncoderCatalog.MiniLmL6V2.Name;

    public AccuratePrecision Precision { get; set; } = AccuratePrecision.Auto;

    /// <summary>
    /// Before int8 quantization, rescale activation channels into the weights (SmoothQuant, calibrated at start
    /// on built-in texts): embeddings stay much closer to fp32 for ~3% of int8's speed. See <see cref="Int8ActivationSmoothing"/>.
    /// </summary>
    public bool Int8Smoothing { get; set; } = true;

    /// <summary>Threads of each session's intra-op pool.</summary>
    [Range(1, 1024)]
    public int IntraOpThreads { get; set; } = Environment.ProcessorCount;

    /// <summary>Sessions batches are spread over, round-robin.</summary>
    [Range(1, 64)]
    public int Sessions { get; set; } = 1;

    [Range(0, 1024)]
    public int CudaDeviceId { get; set; }

    /// <summary>The trained head (JSON); by default <see cref="DefaultHeadPath"/> for the encoder.</summary>
    public string? HeadPath { get; set; }

    /// <summary>Where the head of <paramref name="encoder"/> ships: <c>Models/Accurate/Heads/{encoder}.json</c> beside the app.</summary>
    public static string DefaultHeadPath(string encoder) =>
        Path.Combine(AppContext.BaseDirectory, "Models", "Accurate", "Heads", $"{encoder}.json");

    public string ResolveHeadPath() => string.IsNullOrWhiteSpace(HeadPath) ? DefaultHeadPath(Encoder) : HeadPath;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!EncoderCatalog.TryGet(Encoder, out _))
        {
            yield return new ValidationResult(
                $"Unknown encoder '{Encoder}'; known: {string.Join(", ", EncoderCatalog.All.Select(e => e.Name))}.", [nameof(Encoder)]);
        }

        if (!Enum.IsDefined(Device))
        {
            yield return new ValidationResult($"Device must be auto, cpu or cuda.", [nameof(Device)]);
        }

        if (!Enum.IsDefined(Precision))
        {
            yield return new ValidationResult($"Precision must be auto, fp32 or int8.", [nameof(Precision)]);
        }

        if (!File.Exists(ResolveHeadPath()))
        {
            yield return new ValidationResult($"The head file {ResolveHeadPath()} does not exist.", [nameof(HeadPath)]);
        }
    }
}
