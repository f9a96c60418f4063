namespace ModelTools.Evaluation;

/// <summary>
/// A dense row-major matrix of features (one row per example) or of per-example outputs (logits,
/// probabilities). Rows are contiguous so the kernels can vectorise along them.
/// </summary>
public sealed class FeatureMatrix
{
    private readonly float[] _values;

    public FeatureMatrix(int rows, int columns)
        : this(rows, columns, new float[checked(rows * columns)])
    {
    }

    /// <summary>Wraps <paramref name="values"/> (row-major, <c>rows × columns</c>) without copying.</summary>
    public FeatureMatrix(int rows, int columns, float[] values)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length != (long)rows * columns)
        {
            throw new ArgumentException($"Expected {rows} × {columns} = {(long)rows * columns} values, got {values.Length}.", nameof(values));
        }

        Rows = rows;
        Columns = columns;
        _values = values;
    }

    public int Rows { get; }

    public int Columns { get; }

    /// <summary>All values, row-major.</summary>
    public Span<float> Values => _values;

    public Span<float> Row(int row) => _values.AsSpan(row * Columns, Columns);

    public float this[int row, int column]
    {
        get => _values[row * Columns + column];
        set => _values[row * Columns + column] = value;
    }

    /// <summary>Copies equal-length rows (for example one embedding per text) into a matrix.</summary>
    public static FeatureMatrix FromRows(IReadOnlyList<float[]> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            throw new ArgumentException("At least one row is needed to know the number of columns.", nameof(rows));
        }

        int columns = rows[0].Length;
        var matrix = new FeatureMatrix(rows.Count, columns);
        for (int i = 0; i < rows.Count; i++)
        {
            if (rows[i].Length != columns)
            {
                throw new ArgumentException($"Row {i} has {rows[i].Length} values; row 0 has {columns}.", nameof(rows));
            }

            rows[i].CopyTo(matrix.Row(i));
        }

        return matrix;
    }

    /// <summary>The rows at <paramref name="indices"/>, in that order, as a new matrix.</summary>
    public FeatureMatrix SelectRows(ReadOnlySpan<int> indices)
    {
        var selected = new FeatureMatrix(indices.Length, Columns);
        for (int i = 0; i < indices.Length; i++)
        {
            Row(indices[i]).CopyTo(selected.Row(i));
        }

        return selected;
    }
}
