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
    public void Mean_pooling_without_normalisation_and_vader_features_as_shipped_matches_the_reference() =>
        AssertMatchesReference(encoders.MiniLm, TestHeads.Random(13, EncoderCatalog.MiniLmL6V2, normalize: false, temperature: 1.3f, lexicon: LexiconFeatures.Vader));

    [Fact]
    public void Cls_pooling_with_logistic_regression_matches_the_reference() =>
        AssertMatchesReference(encoders.MiniLm, TestHeads.Random(12, EncoderCatalog.MiniLmL6V2, PoolingMode.Cls, temperature: 1.3f));

    [Fact]
    public void Hidden_states_are_the_embedding_output_and_every_layer_output()
    {
        var miniLm = encoders.MiniLm.Signature.HiddenStates(encoders.MiniLm.Graph.Graph);
        Assert.Equal(7, miniLm.Count);
        Assert.Equal("last_hidden_state", miniLm[^1]);
    }

    [Fact]
    public void MiniLm_mean_of_the_last_four_layers_with_vader_features_matches_the_reference() =>
        AssertMatchesReference(encoders.MiniLm, TestHeads.Random(15, EncoderCatalog.MiniLmL6V2, hidden: [32], temperature: 0.9f, hiddenLayers: 4, lexicon: LexiconFeatures.Vader));

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
