using Onnx;

namespace Scorer.Models.Accurate;

/// <summary>
/// What an encoder graph takes and gives: the names of its inputs (token_type_ids only where the graph has it),
/// the output holding the token embeddings [batch, sequence, dim], and the default-domain opset it was exported
/// with, which decides the form of the nodes appended to it.
/// </summary>
public sealed record EncoderSignature(
    string InputIds,
    string AttentionMask,
    string? TokenTypeIds,
    string TokenEmbeddings,
    string BatchDimension,
    long Opset)
{
    public const string InputIdsName = "input_ids";
    public const string AttentionMaskName = "attention_mask";
    public const string TokenTypeIdsName = "token_type_ids";

    /// <summary>The names to feed, in order: input ids, attention mask, then token type ids where present.</summary>
    public IReadOnlyList<string> InputNames =>
        TokenTypeIds is null ? [InputIds, AttentionMask] : [InputIds, AttentionMask, TokenTypeIds];

    public static EncoderSignature Detect(ModelProto model)
    {
        var graph = model.Graph ?? throw new InvalidDataException("The ONNX model has no graph.");
        var initializers = graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var inputs = graph.Input.Where(i => !initializers.Contains(i.Name)).ToList();

        string? Find(string name) =>
            inputs.FirstOrDefault(i => i.Name == name)?.Name
            ?? inputs.FirstOrDefault(i => i.Name.Contains(name, StringComparison.OrdinalIgnoreCase))?.Name;

        var inputIds = Find(InputIdsName)
            ?? throw new InvalidDataException($"The encoder has no {InputIdsName} input; it has {Names(inputs)}.");
        var attentionMask = Find(AttentionMaskName)
            ?? throw new InvalidDataException($"The encoder has no {AttentionMaskName} input; it has {Names(inputs)}.");
        var tokenTypeIds = Find(TokenTypeIdsName);
        var unknown = inputs.Select(i => i.Name).Except([inputIds, attentionMask, tokenTypeIds]).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidDataException($"The encoder needs inputs this runtime cannot feed: {string.Join(", ", unknown)}.");
        }

        // Token embeddings are the rank-3 float output; exporters name it last_hidden_state or token_embeddings.
        var rank3 = graph.Output.Where(o => o.Type?.TensorType?.Shape?.Dim.Count == 3
            && o.Type.TensorType.ElemType == (int)TensorProto.Types.DataType.Float).ToList();
        var tokenEmbeddings = (rank3.FirstOrDefault(o => o.Name is "last_hidden_state" or "token_embeddings") ?? rank3.FirstOrDefault())?.Name
            ?? throw new InvalidDataException($"The encoder has no [batch, sequence, dim] float output; it has {Names(graph.Output)}.");

        var batch = graph.Input.First(i => i.Name == inputIds).Type?.TensorType?.Shape?.Dim.FirstOrDefault()?.DimParam;
        var opset = model.OpsetImport.FirstOrDefault(o => o.Domain is "" or "ai.onnx")?.Version
            ?? throw new InvalidDataException("The encoder imports no default-domain opset.");

        return new EncoderSignature(inputIds, attentionMask, tokenTypeIds, tokenEmbeddings,
            string.IsNullOrEmpty(batch) ? "batch" : batch, opset);
    }

    /// <summary>
    /// The hidden states in order, last = <see cref="TokenEmbeddings"/>: the embedding layer's output and each
    /// transformer layer's output (Hugging Face's <c>hidden_states</c>). A layer's input is the tensor its
    /// query, key and value projections read: the one float tensor three or more MatMul nodes share as their
    /// first input.
    /// </summary>
    public IReadOnlyList<string> HiddenStates(GraphProto graph)
    {
        var layerInputs = graph.Node.Where(n => n.OpType == "MatMul" && n.Input.Count == 2)
            .GroupBy(n => n.Input[0], StringComparer.Ordinal)
            .Where(g => g.Count() >= 3)
            .Select(g => g.Key)
            .ToHashSet(StringComparer.Ordinal);
        var states = graph.Node.SelectMany(n => n.Output).Where(layerInputs.Contains).Distinct().ToList();
        states.Remove(TokenEmbeddings);
        states.Add(TokenEmbeddings);
        return states;
    }

    private static string Names(IEnumerable<ValueInfoProto> values) => string.Join(", ", values.Select(v => v.Name));
}
