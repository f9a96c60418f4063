using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Onnx;

namespace Scorer.Models.Accurate;

/// <summary>
/// Sentence embeddings from an encoder with pooling and normalisation and no head: what a head is trained on.
/// Same tokenizer, graph and sessions as <see cref="OnnxSentimentModel"/>, so training and serving agree.
/// </summary>
public sealed class OnnxSentenceEncoder : IDisposable
{
    private static readonly string[] EmbeddingOnly = [SentimentGraphComposer.EmbeddingOutput];

    private readonly OnnxBatchRunner _runner;

    /// <param name="options">Device, precision, threads and sessions; <see cref="AccurateModelOptions.Encoder"/> picks the encoder.</param>
    /// <param name="pooling">The encoder's own pooling when null.</param>
    /// <param name="normalize">L2-normalise the embeddings.</param>
    /// <param name="loggerFactory">Where the device fallback is logged.</param>
    /// <param name="hiddenLayers">How many last hidden states are averaged before pooling.</param>
    public OnnxSentenceEncoder(AccurateModelOptions options, PoolingMode? pooling = null, bool normalize = true, ILoggerFactory? loggerFactory = null, int hiddenLayers = 1)
    {
        Encoder = EncoderCatalog.Get(options.Encoder);
        Pooling = pooling ?? Encoder.Pooling;
        HiddenLayers = hiddenLayers;
        var encoderGraph = ModelProto.Parser.ParseFrom(Encoder.ReadModel());
        var composed = SentimentGraphComposer.ComposeEmbedding(encoderGraph, Pooling, Encoder.EmbeddingDimension, normalize, hiddenLayers);
        var tokenizer = new SentimentTokenizer(Encoder);
        var signature = EncoderSignature.Detect(encoderGraph);
        var sessions = new OnnxSessionFactory(options, (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<OnnxSessionFactory>())
            .Create(composed, prepareInt8: options.Int8Smoothing ? OnnxSentimentModel.Smoothing(signature, tokenizer, options, include: null) : null);
        _runner = new OnnxBatchRunner(tokenizer, sessions, signature);
    }

    public EncoderSource Encoder { get; }

    public PoolingMode Pooling { get; }

    /// <summary>How many last hidden states are averaged before pooling.</summary>
    public int HiddenLayers { get; }

    public int Dimension => Encoder.EmbeddingDimension;

    public string Device => _runner.Sessions.Device;

    public AccuratePrecision Precision => _runner.Sessions.Precision;

    public SentimentTokenizer Tokenizer => _runner.Tokenizer;

    /// <summary>Writes the embeddings of <paramref name="texts"/> row-major into <paramref name="embeddings"/> [texts, dim].</summary>
    public void Embed(ReadOnlySpan<string> texts, Span<float> embeddings, Span<bool> truncated = default)
    {
        if (embeddings.Length < texts.Length * Dimension)
        {
            throw new ArgumentException($"Embeddings need {texts.Length * Dimension} floats.", nameof(embeddings));
        }

        if (texts.IsEmpty)
        {
            return;
        }

        using var run = _runner.Execute(texts, EmbeddingOnly);
        run.Output(0).CopyTo(embeddings);
        if (!truncated.IsEmpty)
        {
            run.Batch.Truncated.AsSpan(0, texts.Length).CopyTo(truncated);
        }
    }

    public float[] Embed(ReadOnlySpan<string> texts)
    {
        var embeddings = new float[texts.Length * Dimension];
        Embed(texts, embeddings);
        return embeddings;
    }

    public void Dispose() => _runner.Dispose();
}
