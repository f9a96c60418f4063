using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Onnx;

namespace Scorer.Models.Accurate;

/// <summary>
/// The <c>accurate</c> model: a sentence encoder (MiniLM or Arctic-xs, ONNX) with a trained sentiment head,
/// composed into one graph and run with ONNX Runtime on CPU or CUDA. Label = most probable class,
/// score = P(positive) - P(negative), confidence = the label's probability.
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

    /// <summary>For dependency injection: options from <see cref="AccurateModelOptions.SectionName"/>, head from its file.</summary>
    public OnnxSentimentModel(IOptions<AccurateModelOptions> options, ILoggerFactory loggerFactory)
        : this(options.Value, HeadFile.Load(options.Value.ResolveHeadPath()), loggerFactory)
    {
    }

    private OnnxSentimentModel(AccurateModelOptions options, HeadDefinition head, ILoggerFactory? loggerFactory)
    {
        loggerFactory ??= NullLoggerFactory.Instance;
        Encoder = EncoderCatalog.Get(options.Encoder);
        Head = head.Validated();
        if (!string.Equals(head.Encoder, Encoder.Name, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"The head was trained on {head.Encoder}, but the encoder is {Encoder.Name}.");
        }

        if (head.EmbeddingDim != Encoder.EmbeddingDimension)
        {
            throw new InvalidOperationException(
                $"The head expects {head.EmbeddingDim}-dimensional embeddings, {Encoder.Name} gives {Encoder.EmbeddingDimension}.");
        }

        var encoderGraph = ModelProto.Parser.ParseFrom(Encoder.ReadModel());
        var composed = SentimentGraphComposer.Compose(encoderGraph, head);
        var tokenizer = new SentimentTokenizer(Encoder);
        var signature = EncoderSignature.Detect(encoderGraph);
        var sessions = new OnnxSessionFactory(options, loggerFactory.CreateLogger<OnnxSessionFactory>())
            .Create(composed, IsEncoderNode, options.Int8Smoothing ? Smoothing(signature, tokenizer, options, IsEncoderNode) : null);
        _runner = new OnnxBatchRunner(tokenizer, sessions, signature,
            LexiconFeatures.CountOf(head.LexiconFeatures) > 0 ? LexiconFeatures.CreateVader() : null);

        (_negative, _neutral, _positive) = (head.IndexOf("negative"), head.IndexOf("neutral"), head.IndexOf("positive"));
        _labels = head.Labels.Length;
        Version = $"{Encoder.ShortName}+head-{head.Hash8()}{(sessions.Precision == AccuratePrecision.Int8 ? "-int8" : "")}";
    }

    /// <summary>Builds the model from explicit options and head (tests, tools, the trainer's evaluation).</summary>
    public static OnnxSentimentModel Create(AccurateModelOptions options, HeadDefinition head, ILoggerFactory? loggerFactory = null) =>
        new(options, head, loggerFactory);

    public string Name => ModelNames.Accurate;

    /// <summary>e.g. <c>minilm-l6-v2+head-1a2b3c4d-int8</c>: encoder, the head's hash, and -int8 when quantized.</summary>
    public string Version { get; }

    public string Device => _runner.Sessions.Device;

    public AccuratePrecision Precision => _runner.Sessions.Precision;

    public int MaxTokens => _runner.Tokenizer.MaxTokens;

    public EncoderSource Encoder { get; }

    public HeadDefinition Head { get; }

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
