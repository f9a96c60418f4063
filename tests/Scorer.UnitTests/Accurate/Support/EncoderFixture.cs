using Microsoft.ML.OnnxRuntime;
using Onnx;
using Scorer.Models.Accurate;

namespace Scorer.UnitTests.Accurate.Support;

/// <summary>
/// The encoders' graphs, tokenizers and bare sessions (raw token embeddings), loaded once for all tests:
/// each is ~90 MB and takes seconds to turn into a session on two cores.
/// </summary>
public sealed class EncoderFixture : IDisposable
{
    private readonly Lazy<LoadedEncoder> _miniLm = new(() => new LoadedEncoder(EncoderCatalog.MiniLmL6V2));

    public LoadedEncoder MiniLm => _miniLm.Value;

    public static AccurateModelOptions CpuOptions(AccuratePrecision precision = AccuratePrecision.Fp32) => new()
    {
        Device = AccurateDevice.Cpu,
        Precision = precision,
        IntraOpThreads = 2,
        Sessions = 1, // one is all a test scores with
    };

    public void Dispose()
    {
        if (_miniLm.IsValueCreated)
        {
            _miniLm.Value.Dispose();
        }
    }
}

public sealed class LoadedEncoder : IDisposable
{
    private readonly InferenceSession _bare;

    public LoadedEncoder(EncoderSource source)
    {
        Source = source;
        var bytes = source.ReadModel();
        Graph = ModelProto.Parser.ParseFrom(bytes);
        Signature = EncoderSignature.Detect(Graph);
        Tokenizer = new SentimentTokenizer(source);
        using var options = new SessionOptions { IntraOpNumThreads = 2 };
        _bare = new InferenceSession(bytes, options);
    }

    public EncoderSource Source { get; }

    public ModelProto Graph { get; }

    public EncoderSignature Signature { get; }

    public SentimentTokenizer Tokenizer { get; }

    /// <summary>The encoder's own token embeddings [batch, sequence, dim] for <paramref name="batch"/>.</summary>
    public float[] TokenEmbeddings(TokenBatch batch) => Run(_bare, batch, Signature, Signature.TokenEmbeddings)[0];

    /// <summary>
    /// The average over the last <paramref name="layers"/> hidden states [batch, sequence, dim], read from a session
    /// whose outputs are the named hidden states.
    /// </summary>
    public float[] AveragedHiddenStates(TokenBatch batch, IReadOnlyList<string> states, int layers)
    {
        var probe = Graph.Clone();
        probe.Graph.Output.Clear();
        foreach (var state in states.Skip(states.Count - layers))
        {
            probe.Graph.Output.Add(new ValueInfoProto { Name = state });
        }

        using var options = new SessionOptions { IntraOpNumThreads = 2 };
        using var session = new InferenceSession(Google.Protobuf.MessageExtensions.ToByteArray(probe), options);
        var outputs = Run(session, batch, Signature, [.. probe.Graph.Output.Select(o => o.Name)]);
        var average = new float[outputs[0].Length];
        for (var i = 0; i < average.Length; i++)
        {
            var sum = 0.0;
            foreach (var output in outputs)
            {
                sum += output[i];
            }

            average[i] = (float)(sum / layers);
        }

        return average;
    }

    public static float[][] Run(InferenceSession session, TokenBatch batch, EncoderSignature signature, params string[] outputs) =>
        Run(session, batch, signature, lexicon: null, outputs);

    /// <summary>Runs with the encoder's inputs and, when given, <see cref="LexiconFeatures.InputName"/> [batch, 4].</summary>
    public static float[][] Run(InferenceSession session, TokenBatch batch, EncoderSignature signature, float[]? lexicon, params string[] outputs)
    {
        var shape = batch.Shape;
        using var ids = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, batch.InputIds.AsMemory(0, batch.Elements), shape);
        using var mask = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, batch.AttentionMask.AsMemory(0, batch.Elements), shape);
        using var types = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, batch.TokenTypeIds.AsMemory(0, batch.Elements), shape);
        using var features = lexicon is null ? null : OrtValue.CreateTensorValueFromMemory(lexicon, [batch.Count, LexiconFeatures.Count]);
        OrtValue[] inputs = signature.TokenTypeIds is null ? [ids, mask] : [ids, mask, types];
        string[] names = [.. signature.InputNames];
        if (features is not null)
        {
            inputs = [.. inputs, features];
            names = [.. names, LexiconFeatures.InputName];
        }

        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, names, inputs, outputs);
        return [.. results.Select(r => r.GetTensorDataAsSpan<float>().ToArray())];
    }

    public void Dispose() => _bare.Dispose();
}

[CollectionDefinition(Name)]
public sealed class EncoderCollection : ICollectionFixture<EncoderFixture>
{
    public const string Name = "encoders";
}
