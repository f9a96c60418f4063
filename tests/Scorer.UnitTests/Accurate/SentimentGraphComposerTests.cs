using Scorer.UnitTests.Accurate.Support;
using Onnx;
using Scorer.Models.Accurate;

namespace Scorer.UnitTests.Accurate;

/// <summary>The composed graph against a C# reference computed from the bare encoder's token embeddings.</summary>
[Collection(EncoderCollection.Name)]
public sealed class SentimentGraphComposerTests(EncoderFixture encoders)
{
    private const double Tolerance = 1e-4;

    private static readonly string[] Outputs = [SentimentGraphComposer.ProbabilitiesOutput, SentimentGraphComposer.EmbeddingOutput];

    private static readonly string[] Texts =
    [
        "I love this!",
        "This is the worst service I have ever had, and I will never come back.",
        "ok",
        "It costs $40 which is way too much 😡\nnot again",
    ];

    [Fact]
    public void Encoders_are_detected()
    {
        var miniLm = encoders.MiniLm.Signature;
        Assert.Equal(["input_ids", "attention_mask", "token_type_ids"], miniLm.InputNames);
        Assert.Equal("last_hidden_state", miniLm.TokenEmbeddings);
        Assert.Equal(13, miniLm.Opset);

        var arctic = encoders.Arctic.Signature;
        Assert.Equal("last_hidden_state", arctic.TokenEmbeddings);
        Assert.Equal(11, arctic.Opset);
    }

    [Fact]
    public void Composed_graph_has_two_outputs_and_drops_the_pooler()
    {
        var head = TestHeads.Random(3, EncoderCatalog.MiniLmL6V2);
        var composed = SentimentGraphComposer.Compose(encoders.MiniLm.Graph, head);

        Assert.Equal(Outputs, composed.Graph.Output.Select(o => o.Name));
        Assert.DoesNotContain(composed.Graph.Node, n => n.OpType is "Gemm" or "Tanh");
        Assert.Equal(encoders.MiniLm.Graph.OpsetImport, composed.OpsetImport);
        Assert.Equal(2, encoders.MiniLm.Graph.Graph.Output.Count); // the encoder itself is left as it was
    }

    [Fact]
    public void MiniLm_mean_pooling_with_an_mlp_head_matches_the_reference() =>
        AssertMatchesReference(encoders.MiniLm, TestHeads.Random(11, EncoderCatalog.MiniLmL6V2, hidden: [32], temperature: 0.8f));

    [Fact]
    public void Arctic_cls_pooling_with_logistic_regression_matches_the_reference() =>
        AssertMatchesReference(encoders.Arctic, TestHeads.Random(12, EncoderCatalog.ArcticEmbedXs, temperature: 1.3f));

    [Fact]
    public void Opset_11_mean_pooling_without_normalisation_matches_the_reference() =>
        AssertMatchesReference(encoders.Arctic, TestHeads.Random(13, EncoderCatalog.ArcticEmbedXs, PoolingMode.Mean, normalize: false));

    [Fact]
    public void Hidden_states_are_the_embedding_output_and_every_layer_output()
    {
        // Arctic's export keeps PyTorch's names: the LayerNorm closing the embeddings and each layer.
        Assert.Equal(
        [
            "/embeddings/LayerNorm/Add_1_output_0",
            .. Enumerable.Range(0, 5).Select(l => $"/encoder/layer.{l}/output/LayerNorm/Add_1_output_0"),
            "last_hidden_state",
        ], encoders.Arctic.Signature.HiddenStates(encoders.Arctic.Graph.Graph));

        var miniLm = encoders.MiniLm.Signature.HiddenStates(encoders.MiniLm.Graph.Graph);
        Assert.Equal(7, miniLm.Count);
        Assert.Equal("last_hidden_state", miniLm[^1]);
    }

    [Fact]
    public void MiniLm_mean_of_the_last_four_layers_with_vader_features_matches_the_reference() =>
        AssertMatchesReference(encoders.MiniLm, TestHeads.Random(15, EncoderCatalog.MiniLmL6V2, hidden: [32], temperature: 0.9f, hiddenLayers: 4, lexicon: LexiconFeatures.Vader));

    [Fact]
    public void Arctic_cls_of_the_last_two_layers_matches_the_reference() =>
        AssertMatchesReference(encoders.Arctic, TestHeads.Random(16, EncoderCatalog.ArcticEmbedXs, temperature: 1.1f, hiddenLayers: 2));

    [Fact]
    public void The_lexicon_input_exists_only_for_heads_that_read_it()
    {
        var plain = SentimentGraphComposer.Compose(encoders.MiniLm.Graph, TestHeads.Random(3, EncoderCatalog.MiniLmL6V2));
        Assert.DoesNotContain(plain.Graph.Input, i => i.Name == LexiconFeatures.InputName);

        var withVader = SentimentGraphComposer.Compose(encoders.MiniLm.Graph, TestHeads.Random(3, EncoderCatalog.MiniLmL6V2, lexicon: LexiconFeatures.Vader));
        var input = Assert.Single(withVader.Graph.Input, i => i.Name == LexiconFeatures.InputName);
        Assert.Equal(LexiconFeatures.Count, input.Type.TensorType.Shape.Dim[1].DimValue);
    }

    [Fact]
    public void Averaging_more_hidden_states_than_the_encoder_has_is_refused()
    {
        var head = TestHeads.Random(3, EncoderCatalog.MiniLmL6V2, hiddenLayers: 8);
        Assert.Throws<InvalidDataException>(() => SentimentGraphComposer.Compose(encoders.MiniLm.Graph, head));
    }

    [Fact]
    public void Labels_in_another_order_are_mapped_by_name()
    {
        var head = TestHeads.Random(14, EncoderCatalog.MiniLmL6V2, labels: ["positive", "negative", "neutral"]);
        Assert.Equal(1, head.IndexOf("negative"));
        Assert.Equal(2, head.IndexOf("neutral"));
        Assert.Equal(0, head.IndexOf("positive"));
    }

    [Fact]
    public async Task A_head_read_back_from_its_file_gives_the_same_probabilities()
    {
        var head = TestHeads.Random(42, EncoderCatalog.MiniLmL6V2, hidden: [24], temperature: 1.2f);
        using var file = new MemoryStream();
        await HeadFile.WriteAsync(file, head);
        var read = HeadFile.Load(new MemoryStream(file.ToArray()));
        var batch = encoders.MiniLm.Tokenizer.Encode(Texts);

        var original = RunComposed(encoders.MiniLm, head, batch);
        var roundTripped = RunComposed(encoders.MiniLm, read, batch);
        // The file keeps 6 significant digits of each parameter.
        AssertClose(original[0], roundTripped[0]);
        Assert.Equal(original[1], roundTripped[1]);
    }

    [Fact]
    public void Embedding_only_graph_matches_the_reference()
    {
        var encoder = encoders.MiniLm;
        var composed = SentimentGraphComposer.ComposeEmbedding(encoder.Graph, PoolingMode.Mean, 384);
        Assert.Equal([SentimentGraphComposer.EmbeddingOutput], composed.Graph.Output.Select(o => o.Name));

        var batch = encoder.Tokenizer.Encode(Texts);
        using var sessions = new OnnxSessionFactory(EncoderFixture.CpuOptions()).Create(composed);
        var embeddings = LoadedEncoder.Run(sessions.Sessions[0], batch, encoder.Signature, SentimentGraphComposer.EmbeddingOutput)[0];
        var hidden = encoder.TokenEmbeddings(batch);
        for (var i = 0; i < Texts.Length; i++)
        {
            var expected = ReferenceHead.Embedding(hidden, batch, i, 384, PoolingMode.Mean, normalize: true);
            AssertClose(expected, embeddings.AsSpan(i * 384, 384));
        }
    }

    private static void AssertMatchesReference(LoadedEncoder encoder, HeadDefinition head)
    {
        var batch = encoder.Tokenizer.Encode(Texts);
        var hidden = head.HiddenLayers == 1
            ? encoder.TokenEmbeddings(batch)
            : encoder.AveragedHiddenStates(batch, encoder.Signature.HiddenStates(encoder.Graph.Graph), head.HiddenLayers);
        var lexicon = LexiconInput(head, Texts);
        var (probabilities, embeddings) = RunComposed(encoder, head, batch, lexicon) switch { var r => (r[0], r[1]) };
        var dim = head.EmbeddingDim;

        for (var i = 0; i < Texts.Length; i++)
        {
            var expectedEmbedding = ReferenceHead.Embedding(hidden, batch, i, dim, head.Pooling, head.Normalize);
            AssertClose(expectedEmbedding, embeddings.AsSpan(i * dim, dim));

            var expected = ReferenceHead.Probabilities(expectedEmbedding, head,
                lexicon is null ? default : lexicon.AsSpan(i * LexiconFeatures.Count, LexiconFeatures.Count));
            var actual = probabilities.AsSpan(i * 3, 3);
            for (var k = 0; k < 3; k++)
            {
                Assert.True(Math.Abs(expected[k] - actual[k]) <= Tolerance,
                    $"text {i} class {k}: expected {expected[k]:R}, graph {actual[k]:R}");
            }
        }

        // The random heads are confident enough that this is not a comparison of near-uniform vectors.
        Assert.Contains(Enumerable.Range(0, Texts.Length), i => probabilities.AsSpan(i * 3, 3).ToArray().Max() > 0.5f);
    }

    private static float[][] RunComposed(LoadedEncoder encoder, HeadDefinition head, TokenBatch batch, float[]? lexicon = null)
    {
        var composed = SentimentGraphComposer.Compose(encoder.Graph, head);
        using var sessions = new OnnxSessionFactory(EncoderFixture.CpuOptions()).Create(composed);
        return LoadedEncoder.Run(sessions.Sessions[0], batch, encoder.Signature, lexicon, Outputs);
    }

    /// <summary>VADER's four scores per text, computed here from VADER itself, for heads that read them.</summary>
    private static float[]? LexiconInput(HeadDefinition head, string[] texts)
    {
        if (head.LexiconFeatures is null)
        {
            return null;
        }

        var vader = new Scorer.Models.Fast.VaderAnalyzer(Scorer.Models.Fast.VaderLexicon.Embedded);
        return [.. texts.Select(vader.PolarityScores).SelectMany(s => new[] { (float)s.Negative, (float)s.Neutral, (float)s.Positive, (float)s.Compound })];
    }

    private static void AssertClose(float[] expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var d = 0; d < expected.Length; d++)
        {
            Assert.True(Math.Abs(expected[d] - actual[d]) <= Tolerance, $"dimension {d}: expected {expected[d]:R}, graph {actual[d]:R}");
        }
    }
}
