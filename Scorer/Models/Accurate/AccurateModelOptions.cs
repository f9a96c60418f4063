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

    /// <summary>File name of the shipped weights, under <c>Models/Accurate/Weights/</c> beside the app.</summary>
    public const string ShippedWeightsFile = "all-MiniLM-L6-v2-sentiment.safetensors";

    public AccurateDevice Device { get; set; } = AccurateDevice.Auto;

    public AccuratePrecision Precision { get; set; } = AccuratePrecision.Auto;

    /// <summary>
    /// Before int8 quantization, rescale activation channels into the weights (SmoothQuant, calibrated at start
    /// on built-in texts): embeddings stay much closer to fp32 for ~3% of int8's speed. See <see cref="Int8ActivationSmoothing"/>.
    /// </summary>
    public bool Int8Smoothing { get; set; } = true;

    /// <summary>
    /// Sessions by default: one per core up to four. On CPU, several single-threaded sessions running batches
    /// side by side beat one session spreading each batch over every core: measured here on 2 cores, 2 x 1
    /// thread scores about 1.35x the texts of 1 x 2 threads, and a small batch costs a single-threaded
    /// session no more per token than a large one, so many callers' texts need not wait to form big batches.
    /// </summary>
    public static readonly int DefaultSessions = Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary>Threads of each session's intra-op pool; unset, the cores shared out among the sessions (<see cref="ThreadsPerSession"/>).</summary>
    [Range(1, 1024)]
    public int? IntraOpThreads { get; set; }

    /// <summary><see cref="IntraOpThreads"/>, or the cores divided among the <see cref="Sessions"/> actually configured.</summary>
    public int ThreadsPerSession => IntraOpThreads ?? Math.Max(1, Environment.ProcessorCount / Sessions);

    /// <summary>
    /// Whether ONNX Runtime's intra-op threads spin between parallel sections instead of sleeping. Spinning
    /// saves a few microseconds a section when the cores are the model's alone; in the service they are
    /// shared with the gRPC stack that feeds the model, which spinning starves, so it is off by default.
    /// </summary>
    public bool AllowSpinning { get; set; }

    /// <summary>Sessions of the model; each runs one batch at a time, and the Scorer runs this many batches at once.</summary>
    [Range(1, 64)]
    public int Sessions { get; set; } = DefaultSessions;

    [Range(0, 1024)]
    public int CudaDeviceId { get; set; }

    /// <summary>The trained weights (<see cref="SentimentWeightsFile"/>); by default <see cref="ShippedWeightsPath"/>.</summary>
    public string? WeightsPath { get; set; }

    /// <summary>Where the trained weights ship: <c>Models/Accurate/Weights/</c> beside the app.</summary>
    public static string ShippedWeightsPath => Path.Combine(AppContext.BaseDirectory, "Models", "Accurate", "Weights", ShippedWeightsFile);

    public string ResolveWeightsPath() => string.IsNullOrWhiteSpace(WeightsPath) ? ShippedWeightsPath : WeightsPath;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enum.IsDefined(Device))
        {
            yield return new ValidationResult($"Device must be auto, cpu or cuda.", [nameof(Device)]);
        }

        if (!Enum.IsDefined(Precision))
        {
            yield return new ValidationResult($"Precision must be auto, fp32 or int8.", [nameof(Precision)]);
        }

        if (!File.Exists(ResolveWeightsPath()))
        {
            yield return new ValidationResult($"The weights file {ResolveWeightsPath()} does not exist.", [nameof(WeightsPath)]);
        }
    }
}
