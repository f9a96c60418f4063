namespace Scorer.Models.Accurate;

/// <summary>
/// A batch of texts as the encoder takes them: row-major [count, sequence] int64 tensors padded to the longest
/// text of the batch. The arrays grow as needed and are reused from batch to batch; only the first
/// <see cref="Count"/> x <see cref="SequenceLength"/> values are meaningful.
/// </summary>
public sealed class TokenBatch
{
    private long[] _scratch = [];

    public int Count { get; private set; }

    public int SequenceLength { get; private set; }

    public long[] InputIds { get; private set; } = [];

    public long[] AttentionMask { get; private set; } = [];

    /// <summary>All zeros: single-segment inputs.</summary>
    public long[] TokenTypeIds { get; private set; } = [];

    /// <summary>Tokens of each text, [CLS] and [SEP] included.</summary>
    public int[] Lengths { get; private set; } = [];

    /// <summary>Whether each text was cut to the tokenizer's maximum.</summary>
    public bool[] Truncated { get; private set; } = [];

    public int Elements => Count * SequenceLength;

    public long[] Shape => [Count, SequenceLength];

    /// <summary>Room to encode <paramref name="count"/> texts of up to <paramref name="rowCapacity"/> tokens each.</summary>
    internal Span<long> PrepareScratch(int count, int rowCapacity)
    {
        Count = count;
        if (Lengths.Length < count)
        {
            Lengths = new int[count];
            Truncated = new bool[count];
        }

        var needed = count * rowCapacity;
        if (_scratch.Length < needed)
        {
            _scratch = new long[needed];
        }

        return _scratch.AsSpan(0, needed);
    }

    /// <summary>Lays the encoded rows out padded to the longest one, with the attention mask.</summary>
    internal void Pack(int rowCapacity, long padId)
    {
        var sequence = 0;
        for (var i = 0; i < Count; i++)
        {
            sequence = Math.Max(sequence, Lengths[i]);
        }

        SequenceLength = sequence;
        var elements = Count * sequence;
        if (InputIds.Length < elements)
        {
            InputIds = new long[elements];
            AttentionMask = new long[elements];
            TokenTypeIds = new long[elements];
        }

        for (var i = 0; i < Count; i++)
        {
            var length = Lengths[i];
            var ids = InputIds.AsSpan(i * sequence, sequence);
            var mask = AttentionMask.AsSpan(i * sequence, sequence);
            _scratch.AsSpan(i * rowCapacity, length).CopyTo(ids);
            ids[length..].Fill(padId);
            mask[..length].Fill(1);
            mask[length..].Fill(0);
        }
    }
}
