using Scorer.UnitTests.Accurate.Support;
using Scorer.Models;
using Scorer.Models.Accurate;

namespace Scorer.UnitTests.Accurate;

/// <summary>The model as the Scorer sees it, with auto device and precision (CPU and int8 here).</summary>
[Collection(EncoderCollection.Name)]
public sealed class OnnxSentimentModelTests(EncoderFixture encoders) : IClassFixture<OnnxSentimentModelTests.ModelFixture>
{
    private readonly OnnxSentimentModel _model = new ModelFixture().Shared;

    public sealed class ModelFixture : IDisposable
    {
        private static readonly Lazy<OnnxSentimentModel> Model = new(() => OnnxSentimentModel.Create(
            new AccurateModelOptions { Device = AccurateDevice.Auto, Precision = AccuratePrecision.Auto, IntraOpThreads = 2, Sessions = 1 },
            TestHeads.Weights(TestHeads.Random(21, EncoderCatalog.MiniLmL6V2, hidden: [16]))));

        public OnnxSentimentModel Shared => Model.Value;

        public void Dispose()
        {
        }
    }

    [Fact]
    public void Describes_itself()
    {
        Assert.Equal("accurate", _model.Name);
        Assert.Equal("cpu", _model.Device);
        Assert.Equal(256, _model.MaxTokens);
        Assert.Matches("^minilm-l6-v2\\+ft-0123abcd-int8$", _model.Version);
        Assert.Equal(encoders.MiniLm.Tokenizer.Cost("hello world"), _model.Cost("hello world"));
    }

    [Fact]
    public void Predictions_follow_the_probabilities()
    {
        var texts = Sentences.Varied;
        var predictions = new SentimentPrediction[texts.Length];
        _model.Score(texts, predictions);

        Assert.All(predictions, p =>
        {
            Assert.Equal(1f, p.Negative + p.Neutral + p.Positive, 1e-4f);
            var max = Math.Max(p.Negative, Math.Max(p.Neutral, p.Positive));
            Assert.Equal(max, p.Confidence);
            Assert.Equal(p.Positive - p.Negative, p.Score, 1e-6f);
            var byLabel = p.Label switch { Sentiment.Negative => p.Negative, Sentiment.Neutral => p.Neutral, _ => p.Positive };
            Assert.Equal(max, byLabel);
            Assert.False(p.Truncated);
        });
    }

    [Fact]
    public void A_text_embeds_nearly_the_same_alone_and_in_a_batch()
    {
        // int8 activations share one scale per batch, so neighbours (and padding) move a text a little.
        var texts = Sentences.Varied;
        var dim = _model.EmbeddingDimension;
        var batched = new float[texts.Length * dim];
        _model.Score(texts, new SentimentPrediction[texts.Length], batched);

        for (var i = 0; i < texts.Length; i++)
        {
            var alone = new float[dim];
            _model.Score([texts[i]], new SentimentPrediction[1], alone);
            var cosine = 0.0;
            for (var d = 0; d < dim; d++)
            {
                cosine += alone[d] * batched[i * dim + d];
            }

            Assert.True(cosine >= 0.98, $"\"{texts[i]}\": cosine {cosine:F4} alone vs in a batch");
        }
    }

    [Fact]
    public void Very_long_text_is_truncated_and_flagged_not_an_error()
    {
        var longText = string.Concat(Enumerable.Repeat("This is wonderful, I love it! 😀 $ ", 5_000));
        var predictions = new SentimentPrediction[2];
        _model.Score([longText, "fine"], predictions);

        Assert.True(predictions[0].Truncated);
        Assert.False(predictions[1].Truncated);
        Assert.Equal(_model.MaxTokens, _model.Cost(longText));
    }

    [Fact]
    public void Embeddings_come_out_normalised_with_the_predictions()
    {
        var texts = Sentences.Varied[..3];
        var predictions = new SentimentPrediction[3];
        var embeddings = new float[3 * _model.EmbeddingDimension];
        _model.Score(texts, predictions, embeddings);

        for (var i = 0; i < 3; i++)
        {
            var row = embeddings.AsSpan(i * 384, 384);
            var norm = 0.0;
            foreach (var v in row)
            {
                norm += v * v;
            }

            Assert.Equal(1.0, Math.Sqrt(norm), 1e-4);
        }
    }

    [Fact]
    public void Concurrent_batches_give_the_same_answers()
    {
        var texts = Sentences.Varied;
        var expected = new SentimentPrediction[texts.Length];
        _model.Score(texts, expected);

        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ =>
        {
            var actual = new SentimentPrediction[texts.Length];
            _model.Score(texts, actual);
            Assert.Equal(expected, actual);
        });
    }

    [Fact]
    public void Empty_batch_is_a_no_op()
    {
        _model.Score([], []);
    }

    [Fact]
    public void A_head_reading_vader_features_runs_in_one_int8_session_and_matches_fp32()
    {
        var head = TestHeads.Random(22, EncoderCatalog.MiniLmL6V2, hidden: [16], hiddenLayers: 4, lexicon: LexiconFeatures.Vader);
        using var int8 = OnnxSentimentModel.Create(EncoderFixture.CpuOptions(AccuratePrecision.Int8), TestHeads.Weights(head));
        using var fp32 = OnnxSentimentModel.Create(EncoderFixture.CpuOptions(), TestHeads.Weights(head));
        var texts = Sentences.Varied;
        var quantized = new SentimentPrediction[texts.Length];
        var exact = new SentimentPrediction[texts.Length];
        int8.Score(texts, quantized);
        fp32.Score(texts, exact);

        Assert.Equal(AccuratePrecision.Int8, int8.Precision);
        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(1f, quantized[i].Negative + quantized[i].Neutral + quantized[i].Positive, 1e-4f);
            Assert.True(Math.Abs(quantized[i].Score - exact[i].Score) < 0.25f, $"\"{texts[i]}\": int8 {quantized[i].Score}, fp32 {exact[i].Score}");
        }
    }

    [Fact]
    public void Weights_for_an_encoder_that_is_not_shipped_are_refused()
    {
        var head = TestHeads.Random(1, EncoderCatalog.MiniLmL6V2);
        head.Encoder = "snowflake-arctic-embed-xs";
        var error = Assert.Throws<InvalidDataException>(() => OnnxSentimentModel.Create(EncoderFixture.CpuOptions(), TestHeads.Weights(head)));
        Assert.Contains("snowflake-arctic-embed-xs", error.Message);
    }

    [Fact]
    public void Fine_tuned_encoder_tensors_replace_the_pretrained_ones()
    {
        var head = TestHeads.Random(23, EncoderCatalog.MiniLmL6V2, hidden: [16]);
        var bias = encoders.MiniLm.Graph.Graph.Initializer.Single(t => t.Name == "encoder.layer.5.output.LayerNorm.bias");
        var shifted = new WeightTensor([384], [.. Enumerable.Range(0, 384).Select(i => i % 2 == 0 ? 0.5f : -0.5f)]);
        using var pretrained = OnnxSentimentModel.Create(EncoderFixture.CpuOptions(), TestHeads.Weights(head));
        using var tuned = OnnxSentimentModel.Create(EncoderFixture.CpuOptions(), TestHeads.Weights(head, new Dictionary<string, WeightTensor> { [bias.Name] = shifted }));
        var texts = Sentences.Varied;
        var before = new SentimentPrediction[texts.Length];
        var after = new SentimentPrediction[texts.Length];
        pretrained.Score(texts, before);
        tuned.Score(texts, after);

        Assert.Contains(Enumerable.Range(0, texts.Length), i => Math.Abs(before[i].Score - after[i].Score) > 0.01f);
    }

    [Theory]
    [InlineData("encoder.layer.9.output.dense.bias", 384, "does not have")]
    [InlineData("encoder.layer.5.output.LayerNorm.bias", 383, "[383]")]
    public void Encoder_tensors_that_do_not_fit_the_graph_are_refused(string name, int width, string fragment)
    {
        var weights = TestHeads.Weights(TestHeads.Random(1, EncoderCatalog.MiniLmL6V2),
            new Dictionary<string, WeightTensor> { [name] = new([width], new float[width]) });
        var error = Assert.Throws<InvalidDataException>(() => OnnxSentimentModel.Create(EncoderFixture.CpuOptions(), weights));
        Assert.Contains(fragment, error.Message);
    }

    [Fact]
    public void Weights_fine_tuned_from_another_encoder_build_are_refused()
    {
        var bias = new WeightTensor([384], new float[384]);
        var weights = new SentimentWeights
        {
            Head = TestHeads.Random(1, EncoderCatalog.MiniLmL6V2),
            Encoder = new Dictionary<string, WeightTensor> { ["encoder.layer.5.output.LayerNorm.bias"] = bias },
            BaseEncoderSha256 = new string('0', 64),
        };
        var error = Assert.Throws<InvalidDataException>(() => OnnxSentimentModel.Create(EncoderFixture.CpuOptions(), weights));
        Assert.Contains("another build", error.Message);
    }
}
