namespace Scorer.Training;

public enum LayerActivation
{
    None,
    Relu,
}

/// <summary>
/// One fully connected layer, <c>y = act(W x + b)</c>. <see cref="Weights"/> is output-major
/// (<c>[output][input]</c>, each output's weights contiguous, the layout the kernels want); the head file
/// stores the transpose, <c>[input][output]</c>, as ONNX MatMul does.
/// </summary>
public sealed class DenseLayer
{
    public DenseLayer(int inputs, int outputs, float[] weights, float[] bias, LayerActivation activation)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputs);
        if (weights.Length != inputs * outputs || bias.Length != outputs)
        {
            throw new ArgumentException($"A {inputs} → {outputs} layer needs {inputs * outputs} weights and {outputs} biases, got {weights.Length} and {bias.Length}.");
        }

        Inputs = inputs;
        Outputs = outputs;
        Weights = weights;
        Bias = bias;
        Activation = activation;
    }

    public int Inputs { get; }

    public int Outputs { get; }

    /// <summary>Output-major: the weight from input i to output o is at <c>o * Inputs + i</c>.</summary>
    public float[] Weights { get; }

    public float[] Bias { get; }

    public LayerActivation Activation { get; }

    public float Weight(int input, int output) => Weights[output * Inputs + input];

    public ReadOnlySpan<float> WeightsOf(int output) => Weights.AsSpan(output * Inputs, Inputs);

    /// <summary>Computes this layer's outputs (activation applied) for one input vector.</summary>
    public void Forward(ReadOnlySpan<float> input, Span<float> output)
    {
        for (int o = 0; o < Outputs; o++)
        {
            float z = Bias[o] + VectorMath.Dot(WeightsOf(o), input);
            output[o] = Activation == LayerActivation.Relu && z < 0f ? 0f : z;
        }
    }
}

/// <summary>
/// The trained head: layers applied in order to an embedding, ending in one logit per class
/// (<see cref="SentimentLabels"/> order). Softmax and temperature are applied by the caller.
/// </summary>
public sealed class HeadModel
{
    public HeadModel(IReadOnlyList<DenseLayer> layers)
    {
        if (layers.Count == 0)
        {
            throw new ArgumentException("A head has at least one layer.", nameof(layers));
        }

        for (int l = 1; l < layers.Count; l++)
        {
            if (layers[l].Inputs != layers[l - 1].Outputs)
            {
                throw new ArgumentException($"Layer {l} takes {layers[l].Inputs} inputs but layer {l - 1} gives {layers[l - 1].Outputs}.", nameof(layers));
            }
        }

        if (layers[^1].Activation != LayerActivation.None)
        {
            throw new ArgumentException("The last layer gives logits: its activation must be None.", nameof(layers));
        }

        Layers = layers;
    }

    public IReadOnlyList<DenseLayer> Layers { get; }

    public int Inputs => Layers[0].Inputs;

    public int Classes => Layers[^1].Outputs;

    /// <summary>Logits for every row of <paramref name="features"/>.</summary>
    public FeatureMatrix ComputeLogits(FeatureMatrix features)
    {
        if (features.Columns != Inputs)
        {
            throw new ArgumentException($"The head takes {Inputs} features; the matrix has {features.Columns}.", nameof(features));
        }

        var logits = new FeatureMatrix(features.Rows, Classes);
        int widest = Layers.Max(layer => layer.Outputs);
        var a = new float[widest];
        var b = new float[widest];
        for (int row = 0; row < features.Rows; row++)
        {
            ReadOnlySpan<float> input = features.Row(row);
            for (int l = 0; l < Layers.Count; l++)
            {
                DenseLayer layer = Layers[l];
                Span<float> output = l == Layers.Count - 1 ? logits.Row(row) : (l % 2 == 0 ? a : b).AsSpan(0, layer.Outputs);
                layer.Forward(input, output);
                input = output;
            }
        }

        return logits;
    }

    /// <summary>Class probabilities, softmax(logits / temperature), for every row.</summary>
    public FeatureMatrix PredictProbabilities(FeatureMatrix features, double temperature = 1.0) =>
        Probabilities.FromLogits(ComputeLogits(features), temperature);
}
