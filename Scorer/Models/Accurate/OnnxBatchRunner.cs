using System.Collections.Concurrent;
using Microsoft.ML.OnnxRuntime;

namespace Scorer.Models.Accurate;

/// <summary>
/// Tokenizes a batch and runs it through an idle session. Thread-safe: token buffers are pooled per
/// concurrent batch and ONNX Runtime sessions accept concurrent runs.
/// </summary>
internal sealed class OnnxBatchRunner : IDisposable
{
    private readonly ConcurrentBag<TokenBatch> _buffers = [];
    private readonly string[] _inputNames;
    private readonly RunOptions _runOptions = new();

    private readonly LexiconFeatures? _lexicon;

    /// <param name="lexicon">Computes the graph's <see cref="LexiconFeatures.InputName"/> input, where it has one.</param>
    public OnnxBatchRunner(SentimentTokenizer tokenizer, OnnxSessionSet sessions, EncoderSignature signature, LexiconFeatures? lexicon = null)
    {
        Tokenizer = tokenizer;
        Sessions = sessions;
        _lexicon = lexicon;
        _inputNames = lexicon is null ? [.. signature.InputNames] : [.. signature.InputNames, LexiconFeatures.InputName];
    }

    public SentimentTokenizer Tokenizer { get; }

    public OnnxSessionSet Sessions { get; }

    /// <summary>Runs <paramref name="texts"/>; dispose the result to release its outputs and buffers.</summary>
    public Run Execute(ReadOnlySpan<string> texts, IReadOnlyCollection<string> outputNames)
    {
        var batch = _buffers.TryTake(out var pooled) ? pooled : new TokenBatch();
        try
        {
            Tokenizer.Encode(texts, batch);
            var shape = batch.Shape;
            var inputs = new OrtValue[_inputNames.Length];
            try
            {
                inputs[0] = Tensor(batch.InputIds, batch.Elements, shape);
                inputs[1] = Tensor(batch.AttentionMask, batch.Elements, shape);
                var encoderInputs = _lexicon is null ? inputs.Length : inputs.Length - 1;
                if (encoderInputs > 2)
                {
                    inputs[2] = Tensor(batch.TokenTypeIds, batch.Elements, shape);
                }

                if (_lexicon is not null)
                {
                    var features = new float[texts.Length * LexiconFeatures.Count];
                    _lexicon.Compute(texts, features);
                    inputs[^1] = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, features.AsMemory(), [texts.Length, LexiconFeatures.Count]);
                }

                using var session = Sessions.Rent();
                var outputs = session.Session.Run(_runOptions, _inputNames, inputs, outputNames);
                return new Run(this, batch, outputs);
            }
            finally
            {
                foreach (var input in inputs)
                {
                    input?.Dispose();
                }
            }
        }
        catch
        {
            _buffers.Add(batch);
            throw;
        }
    }

    public void Dispose()
    {
        Sessions.Dispose();
        _runOptions.Dispose();
    }

    private static OrtValue Tensor(long[] data, int elements, long[] shape) =>
        OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, data.AsMemory(0, elements), shape);

    /// <summary>One run's token batch and outputs, in the order asked for.</summary>
    public readonly struct Run(OnnxBatchRunner runner, TokenBatch batch, IDisposableReadOnlyCollection<OrtValue> outputs) : IDisposable
    {
        public TokenBatch Batch => batch;

        public ReadOnlySpan<float> Output(int index) => outputs.ElementAt(index).GetTensorDataAsSpan<float>();

        public void Dispose()
        {
            outputs.Dispose();
            runner._buffers.Add(batch);
        }
    }
}
