namespace Scorer.Training;

/// <summary>
/// The training objective of a head with layer sizes <c>[inputs, hidden…, classes]</c> (ReLU between layers)
/// over a flat parameter vector: for each layer its output-major weights, then its biases. The value is
/// <c>(1/B) Σ w_y · CE + (λ/2) Σ W²</c> over the samples asked for (biases are not penalised).
/// </summary>
internal sealed class HeadObjective
{
    // Gradients are summed in float per chunk of samples and the chunks in double, so a full-batch
    // gradient over tens of thousands of rows keeps the precision L-BFGS's line search needs.
    private const int ChunkSize = 256;

    private readonly LabeledFeatures _data;
    private readonly float[] _classWeights;
    private readonly float _l2;
    private readonly int[] _sizes;
    private readonly int[] _weightOffsets;
    private readonly int[] _biasOffsets;
    private readonly float[][] _activations;
    private readonly float[][] _deltas;
    private readonly float[] _chunkGradient;
    private readonly double[] _totalGradient;

    public HeadObjective(LabeledFeatures data, IReadOnlyList<int> hiddenSizes, float l2, float[] classWeights)
    {
        _data = data;
        _classWeights = classWeights;
        _l2 = l2;
        _sizes = [data.Features.Columns, .. hiddenSizes, data.Classes];
        int layers = _sizes.Length - 1;
        _weightOffsets = new int[layers];
        _biasOffsets = new int[layers];
        int offset = 0;
        for (int l = 0; l < layers; l++)
        {
            _weightOffsets[l] = offset;
            offset += _sizes[l] * _sizes[l + 1];
            _biasOffsets[l] = offset;
            offset += _sizes[l + 1];
        }

        ParameterCount = offset;
        _activations = _sizes.Skip(1).Select(size => new float[size]).ToArray();
        _deltas = _sizes.Skip(1).Select(size => new float[size]).ToArray();
        _chunkGradient = new float[offset];
        _totalGradient = new double[offset];
    }

    public int ParameterCount { get; }

    public int LayerCount => _sizes.Length - 1;

    /// <summary>Initial parameters: zeros for a linear head; He-normal hidden and scaled-normal output weights otherwise.</summary>
    public float[] InitialParameters(int seed)
    {
        var parameters = new float[ParameterCount];
        if (LayerCount == 1)
        {
            return parameters;
        }

        var random = new Random(seed);
        for (int l = 0; l < LayerCount; l++)
        {
            double scale = l < LayerCount - 1 ? Math.Sqrt(2.0 / _sizes[l]) : Math.Sqrt(1.0 / _sizes[l]);
            Span<float> weights = parameters.AsSpan(_weightOffsets[l], _sizes[l] * _sizes[l + 1]);
            for (int i = 0; i < weights.Length; i++)
            {
                weights[i] = (float)(scale * StandardNormal(random));
            }
        }

        return parameters;
    }

    /// <summary>Objective value over <paramref name="samples"/>, and its gradient into <paramref name="gradient"/>.</summary>
    public double Evaluate(ReadOnlySpan<float> parameters, ReadOnlySpan<int> samples, Span<float> gradient)
    {
        Array.Clear(_totalGradient);
        double loss = 0;
        for (int start = 0; start < samples.Length; start += ChunkSize)
        {
            ReadOnlySpan<int> chunk = samples.Slice(start, Math.Min(ChunkSize, samples.Length - start));
            Array.Clear(_chunkGradient);
            foreach (int sample in chunk)
            {
                loss += Backpropagate(parameters, sample);
            }

            for (int p = 0; p < _totalGradient.Length; p++)
            {
                _totalGradient[p] += _chunkGradient[p];
            }
        }

        double inverseCount = samples.Length == 0 ? 0 : 1.0 / samples.Length;
        loss *= inverseCount;
        for (int p = 0; p < gradient.Length; p++)
        {
            gradient[p] = (float)(_totalGradient[p] * inverseCount);
        }

        for (int l = 0; l < LayerCount; l++)
        {
            ReadOnlySpan<float> weights = parameters.Slice(_weightOffsets[l], _sizes[l] * _sizes[l + 1]);
            VectorMath.AddScaled(_l2, weights, gradient.Slice(_weightOffsets[l], weights.Length));
            loss += 0.5 * _l2 * VectorMath.Dot(weights, weights);
        }

        return loss;
    }

    /// <summary>Builds the model these parameters describe (copies them).</summary>
    public HeadModel ToModel(ReadOnlySpan<float> parameters)
    {
        var layers = new DenseLayer[LayerCount];
        for (int l = 0; l < LayerCount; l++)
        {
            layers[l] = new DenseLayer(
                _sizes[l],
                _sizes[l + 1],
                parameters.Slice(_weightOffsets[l], _sizes[l] * _sizes[l + 1]).ToArray(),
                parameters.Slice(_biasOffsets[l], _sizes[l + 1]).ToArray(),
                l == LayerCount - 1 ? LayerActivation.None : LayerActivation.Relu);
        }

        return new HeadModel(layers);
    }

    /// <summary>Forward and backward pass of one sample; adds its weighted gradient to the chunk gradient.</summary>
    private double Backpropagate(ReadOnlySpan<float> parameters, int sample)
    {
        ReadOnlySpan<float> input = _data.Features.Row(sample);
        for (int l = 0; l < LayerCount; l++)
        {
            int fanIn = _sizes[l];
            float[] output = _activations[l];
            ReadOnlySpan<float> weights = parameters.Slice(_weightOffsets[l], fanIn * output.Length);
            ReadOnlySpan<float> bias = parameters.Slice(_biasOffsets[l], output.Length);
            bool relu = l < LayerCount - 1;
            for (int o = 0; o < output.Length; o++)
            {
                float z = bias[o] + VectorMath.Dot(weights.Slice(o * fanIn, fanIn), input);
                output[o] = relu && z < 0f ? 0f : z;
            }

            input = output;
        }

        int label = _data.Labels[sample];
        float weight = _classWeights[label];
        float[] logits = _activations[^1];
        float trueLogit = logits[label];
        double logSumExp = VectorMath.SoftmaxInPlace(logits);
        float[] delta = _deltas[^1];
        for (int k = 0; k < delta.Length; k++)
        {
            delta[k] = weight * (logits[k] - (k == label ? 1f : 0f));
        }

        for (int l = LayerCount - 1; l >= 0; l--)
        {
            int fanIn = _sizes[l];
            ReadOnlySpan<float> layerInput = l == 0 ? _data.Features.Row(sample) : _activations[l - 1];
            float[] layerDelta = _deltas[l];
            Span<float> weightGradient = _chunkGradient.AsSpan(_weightOffsets[l], fanIn * layerDelta.Length);
            Span<float> biasGradient = _chunkGradient.AsSpan(_biasOffsets[l], layerDelta.Length);
            for (int o = 0; o < layerDelta.Length; o++)
            {
                float d = layerDelta[o];
                if (d != 0f)
                {
                    VectorMath.AddScaled(d, layerInput, weightGradient.Slice(o * fanIn, fanIn));
                    biasGradient[o] += d;
                }
            }

            if (l > 0)
            {
                // δ_{l-1} = Wᵀ δ_l, masked by the ReLU that produced this layer's input.
                float[] previous = _deltas[l - 1];
                Array.Clear(previous);
                ReadOnlySpan<float> weights = parameters.Slice(_weightOffsets[l], fanIn * layerDelta.Length);
                for (int o = 0; o < layerDelta.Length; o++)
                {
                    if (layerDelta[o] != 0f)
                    {
                        VectorMath.AddScaled(layerDelta[o], weights.Slice(o * fanIn, fanIn), previous);
                    }
                }

                for (int j = 0; j < previous.Length; j++)
                {
                    if (layerInput[j] <= 0f)
                    {
                        previous[j] = 0f;
                    }
                }
            }
        }

        return weight * (logSumExp - trueLogit);
    }

    private static double StandardNormal(Random random)
    {
        // Box-Muller; 1 - NextDouble() is in (0, 1], so the logarithm is finite.
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
